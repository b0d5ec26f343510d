"""Persistencia: la base se crea en el primer arranque, el esquema es idempotente, SQLite corre en
WAL con escrituras síncronas, PostgreSQL por URL, y una petición confirma todo o nada."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask
from herramientas import crear_personal, sesion_api
from sqlalchemy import func, select

from servidor_referencia import Configuracion, crear_app
from servidor_referencia.bd.base import crear_motor, normalizar_url, transaccion
from servidor_referencia.bd.personal import EntradaBitacora, Usuario
from servidor_referencia.configuracion import clave_secreta_persistente
from servidor_referencia.dominio import bitacora
from servidor_referencia.dominio.roles import Rol


def test_sqlite_se_crea_en_el_primer_arranque(tmp_path: Path, configuracion: Configuracion) -> None:
    archivo = tmp_path / "nueva" / "carpeta" / "vmre.sqlite3"
    assert not archivo.exists()
    app = crear_app(configuracion.con(url_bd=f"sqlite:///{archivo}"))
    try:
        assert archivo.exists()
        motor = app.extensions["vmre"]["motor"]
        with motor.connect() as c:
            assert c.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert c.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
            assert c.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert {"usuario", "sesion", "bitacora", "mensaje_saliente", "enlace_activacion"} <= set(
            sa.inspect(motor).get_table_names()
        )
    finally:
        app.extensions["vmre"]["motor"].dispose()


def test_esquema_idempotente_y_datos_conservados(app: Flask, configuracion: Configuracion) -> None:
    crear_personal(app, Rol.ADMINISTRADOR, usuario="persistente")
    app.extensions["vmre"]["motor"].dispose()
    otra = crear_app(configuracion)  # segundo arranque sobre la misma base: no borra ni duplica
    otra_mas = crear_app(configuracion)
    try:
        with transaccion(otra_mas.extensions["vmre"]["fabrica"]) as bd:
            assert bd.scalars(select(Usuario.usuario)).all() == ["persistente"]
            assert bitacora.verificar_cadena(bd) == 2
        # Las protecciones de solo-anexar siguen en su lugar tras reinstalarse.
        with pytest.raises(sa.exc.DBAPIError), otra_mas.extensions["vmre"]["motor"].begin() as c:
            c.execute(sa.delete(EntradaBitacora.__table__))
    finally:
        otra.extensions["vmre"]["motor"].dispose()
        otra_mas.extensions["vmre"]["motor"].dispose()


def test_url_postgresql_usa_psycopg() -> None:
    assert normalizar_url("postgresql://u@h/b") == "postgresql+psycopg://u@h/b"
    assert normalizar_url("postgres://u@h/b") == "postgresql+psycopg://u@h/b"
    assert normalizar_url("sqlite:///x.db") == "sqlite:///x.db"
    motor = crear_motor("postgresql://u:p@127.0.0.1:1/b")
    assert motor.dialect.name == "postgresql" and motor.dialect.driver == "psycopg"
    motor.dispose()


def test_clave_de_cookies_persistente(tmp_path: Path) -> None:
    ruta = tmp_path / "instancia" / "clave.bin"
    primera = clave_secreta_persistente(ruta)
    assert len(primera) == 32 and ruta.stat().st_mode & 0o777 == 0o600
    assert clave_secreta_persistente(ruta) == primera
    assert clave_secreta_persistente(tmp_path / "otra.bin") != primera
    assert sorted(p.name for p in ruta.parent.iterdir()) == ["clave.bin"]  # sin temporales
    # Un archivo vacío (corte a medio escribir en una versión anterior) se rehace.
    vacia = tmp_path / "vacia.bin"
    vacia.touch()
    assert len(clave_secreta_persistente(vacia)) == 32 and len(vacia.read_bytes()) == 32


def test_peticiones_simultaneas_sin_perder_escrituras(app: Flask) -> None:
    """Varias altas a la vez (hilos, una transacción cada una): todas quedan y la cadena sigue íntegra."""
    cliente = app.test_client()
    h = sesion_api(cliente, crear_personal(app, Rol.ADMINISTRADOR))
    estados: list[int] = []
    cerrojo = threading.Lock()

    def alta(i: int) -> None:
        r = app.test_client().post(
            "/api/v1/personal/usuarios",
            headers=h,
            json={
                "usuario": f"simultanea{i}",
                "nombre": f"Persona {i}",
                "correo": f"s{i}@ine.example",
                "rol": "auditor",
            },
        )
        with cerrojo:
            estados.append(r.status_code)

    hilos = [threading.Thread(target=alta, args=(i,)) for i in range(8)]
    for t in hilos:
        t.start()
    for t in hilos:
        t.join(timeout=60)
    assert estados == [201] * 8
    with transaccion(app.extensions["vmre"]["fabrica"]) as bd:
        assert bd.scalar(select(func.count()).select_from(Usuario)) == 9
        assert bitacora.verificar_cadena(bd) == 2 + 1 + 8


def test_misma_alta_a_la_vez_una_gana(app: Flask) -> None:
    """La misma cuenta pedida por varios hilos: exactamente una se crea; las demás, 409 sin dejar nada."""
    cliente = app.test_client()
    h = sesion_api(cliente, crear_personal(app, Rol.ADMINISTRADOR))
    estados: list[int] = []
    cerrojo = threading.Lock()
    salida = threading.Barrier(6)

    def alta() -> None:
        salida.wait()
        r = app.test_client().post(
            "/api/v1/personal/usuarios",
            headers=h,
            json={
                "usuario": "disputada",
                "nombre": "Cuenta Disputada",
                "correo": "disputada@ine.example",
                "rol": "auditor",
            },
        )
        with cerrojo:
            estados.append(r.status_code)

    hilos = [threading.Thread(target=alta) for _ in range(6)]
    for t in hilos:
        t.start()
    for t in hilos:
        t.join(timeout=60)
    assert sorted(estados) == [201] + [409] * 5
    with transaccion(app.extensions["vmre"]["fabrica"]) as bd:
        assert bd.scalar(select(func.count()).select_from(Usuario)) == 2
        assert bitacora.verificar_cadena(bd) == 4
