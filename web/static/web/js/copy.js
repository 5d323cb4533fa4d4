// Copy buttons: <button data-copy="input-id" data-copied="Copied" hidden>.
// Without JavaScript the buttons stay hidden and the address stays readable
// and selectable in its field. The words come from the page (translated).
for (const button of document.querySelectorAll("button[data-copy]")) {
  const field = document.getElementById(button.dataset.copy);
  const status = document.getElementById(`${button.dataset.copy}-status`);
  if (!field) continue;
  button.hidden = false;
  button.addEventListener("click", async () => {
    try {
      await navigator.clipboard.writeText(field.value);
    } catch {
      // No clipboard permission (or an old browser): select the text instead.
      field.select();
      document.execCommand("copy");
    }
    if (status) status.textContent = button.dataset.copied;
  });
}
