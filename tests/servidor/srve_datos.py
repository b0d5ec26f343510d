"""Datos de prueba del SRVE: solicitudes válidas y distintas entre sí (clave, correo, teléfono)."""

from __future__ import annotations

from typing import Any

from flask import Flask
from sqlalchemy import func, select

from servidor_referencia.bd.base import transaccion
from servidor_referencia.bd.srve import Solicitud


def clave_para(fecha: str, n: int, entidad: str = "14", sexo: str = "M") -> str:
    """Clave de elector con las reglas (15.10)–(15.11) para la fecha AAAA-MM-DD."""
    return f"GOLOMR{fecha[2:4]}{fecha[5:7]}{fecha[8:10]}{entidad}{sexo}{n % 1000:03d}"


def solicitud(n: int = 1, **cambios: Any) -> dict[str, Any]:
    fecha = cambios.get("fecha_nacimiento", "1985-03-12")
    datos = {
        "nombres": "María José",
        "primer_apellido": "Gómez",
        "segundo_apellido": "López",
        "fecha_nacimiento": fecha,
        "clave_elector": clave_para(fecha, n),
        "tipo_credencial": "mexico",
        "ocr": f"{1234567000000 + n:013d}",
        "cic": "",
        "entidad": "14",
        "pais": "US",
        "calle_numero": "123 Main St. Apt 4",
        "ciudad": "Los Ángeles",
        "region": "California",
        "codigo_postal": "90001",
        "correo": f"persona{n}@example.com",
        "telefono": f"+1 213 555 {n % 10000:04d}",
        "modalidad": "electronica",
    }
    datos.update(cambios)
    return datos


def contar(app: Flask, **filtros: Any) -> int:
    with transaccion(app.extensions["vmre"]["fabrica"]) as bd:
        consulta = select(func.count()).select_from(Solicitud)
        for k, v in filtros.items():
            consulta = consulta.where(getattr(Solicitud, k) == v)
        return int(bd.scalar(consulta) or 0)
