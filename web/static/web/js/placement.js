// Placement: the page shows the current item; the answer goes to the API and
// the page reloads with the next item or the result (rendered by Django).

import { api, readTexts } from "./api.js";
import { h, renderExercise } from "./player.js";

const root = document.getElementById("player");
const texts = readTexts();
const exercise = JSON.parse(document.getElementById("exercise-data").textContent);

renderExercise(root, exercise, {
  texts,
  letters: "",
  onAnswer: async (answer, widget) => {
    try {
      const response = await api(`placement/${root.dataset.test}/answers/`, {
        method: "POST",
        body: { exercise: exercise.id, answer },
      });
      if (response.ok || response.data?.code === "not_current_item" || response.data?.code === "placement_finished") {
        window.location.reload();
        return;
      }
      root.append(h("p", { role: "alert" }, response.data?.message || texts.error));
    } catch {
      root.append(h("p", { role: "alert" }, texts.error));
    }
    widget.check.disabled = false;
  },
});
root.querySelector(".item-heading")?.focus();
