"""The roles an account can have, declared once.

The user table's check constraint, the account services and ``certready create-user --role`` read
them; a module of its own so that the command can list them without importing the models.
"""

ROLES = ("participant", "designer", "admin")
