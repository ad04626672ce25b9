"""Who may use Kavach: roles, principals, the password and lockout rules, TOTP.

Pure domain: no database, no web. ``kavach.services.accounts`` puts it to work.
"""
