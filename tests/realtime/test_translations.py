"""Error frames speak the user's interface language (realtime/locale)."""

import pytest
from asgiref.sync import sync_to_async

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("lv", "Kadrs nav derīgs JSON."),
        ("ru", "Фрейм не является корректным JSON."),
        ("uk", "Фрейм не є коректним JSON."),
        ("en", "The frame is not valid JSON."),
    ],
)
async def test_error_frame_is_in_the_interface_language(
    ws, session, newcomer, language, expected
):
    newcomer.interface_language = language
    await sync_to_async(newcomer.save)(update_fields=["interface_language"])
    olena = await ws.join(session, newcomer)
    try:
        await olena.send("not json")
        error = await olena.recv("error")
        assert error["code"] == "invalid_json"
        assert error["message"] == expected
    finally:
        await olena.communicator.disconnect()
