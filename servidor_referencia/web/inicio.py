"""Página de inicio y estado del servicio."""

from __future__ import annotations

from flask import Blueprint, jsonify, render_template
from flask.typing import ResponseReturnValue
from sqlalchemy import text

from .contexto import bd

paginas = Blueprint("inicio", __name__)
api = Blueprint("api_inicio", __name__, url_prefix="/api/v1")


@paginas.get("/")
def inicio() -> ResponseReturnValue:
    return render_template("inicio.html")


@api.get("/estado")
def estado() -> ResponseReturnValue:
    bd().execute(text("SELECT 1"))
    return jsonify({"estado": "en_servicio", "version_api": "v1"})
