from tests.realtime.conftest import (  # noqa: F401 (fixtures)
    _fresh_channel_layer,
    session,
    ws,
)
