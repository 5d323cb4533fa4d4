"""Django's session engines, with logins of the old backend paths carried over.

``SESSION_ENGINE`` names one of these modules; each loads a session as Django's
own engine does and then rewrites a backend path of before
``backend.accounts.auth_backends`` to the new one (see there).
"""
