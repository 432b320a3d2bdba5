"""Flask extensions, created unbound here and bound to the app in the factory.

Flask-Migrate is not among them: ``app.migrating`` binds it only for the commands that migrate.
Nor are the web pages' own (CSRF protection, bound in the factory, and the rate limiter in
``app.rate_limiting``): ``certready``'s commands build the app without pages and never import them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from flask_login import LoginManager
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

# Named constraints, so migrations can drop or alter them on every database (SQLite batch mode
# needs names). Check constraints are named by hand in the models.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


db = SQLAlchemy(model_class=Base)

# What models subclass. At runtime it is ``db.Model``, the class Flask-SQLAlchemy builds from ``Base``
# (it adds ``query``, the bind key and table names); the type checker cannot follow a base class made at
# runtime (python/mypy#8603), so to it the models subclass ``Base``, whose columns and metadata they share.
if TYPE_CHECKING:
    Model = Base
else:
    Model = db.Model
login_manager = LoginManager()
