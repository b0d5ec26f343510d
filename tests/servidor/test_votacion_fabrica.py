"""Fábrica de un proceso con la llave publicada, listo para abrir (usada por test_apertura y test_votacion).

Crea, directamente en la base (sin pasar por la configuración ni la ceremonia del servidor, que
prueba su propio trabajo): un ``ProcesoElectoral`` en ``llave_publicada`` con la salida de
``ceremonia_en_proceso``, un corte electrónico de la LNERE con su código de integridad, la lista
de credenciales y cuentas de elector activas con contraseña y TOTP.
"""

from __future__ import annotations

import functools
import hashlib
import time
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from herramientas import CONTRASENA, Personal, cabecera, crear_personal, sesion_api
from sqlalchemy import func, select

from servidor_referencia.bd.base import ahora, transaccion
from servidor_referencia.bd.cuentas import CredencialPublica, CuentaElector, ListaCredencialesPublicas
from servidor_referencia.bd.lnere import CorteLNERE
from servidor_referencia.bd.sivei import ProcesoElectoral
from servidor_referencia.dominio.roles import Rol
from servidor_referencia.dominio.secretos import codigo_totp, hash_contrasena, secreto_totp_nuevo
from vmre_crypto import (
    GRUPO_ESTANDAR,
    ConfiguracionEleccion,
    ContextoEleccion,
    Contienda,
    EstiloBoleta,
    Manifiesto,
    Opcion,
    ParCredencial,
    RegistroLlaves,
    a_json,
    ceremonia_en_proceso,
    generar_credencial,
    hash_lista_credenciales_del_grupo,
    serializar,
)

# Estilos = clave de la entidad (20.16): Chihuahua, Jalisco, Zacatecas.
ENTIDADES = ("08", "14", "32")


def _opciones(*etiquetas: str) -> tuple[Opcion, ...]:
    return tuple(Opcion(i, e) for i, e in enumerate(etiquetas, start=1))


def manifiesto() -> Manifiesto:
    comunes = ("Candidatura no registrada", "Voto nulo")
    return Manifiesto(
        "Simulacro de pruebas",
        (
            Contienda(1, "Gubernatura de Chihuahua", 1, _opciones("PAN", "MORENA", *comunes)),
            Contienda(2, "Gubernatura de Jalisco", 1, _opciones("MC", "MORENA", *comunes)),
            Contienda(3, "Diputación migrante (hasta 2)", 2, _opciones("Fórmula A", "Fórmula B", "Fórmula C")),
            Contienda(4, "Gubernatura de Zacatecas", 1, _opciones("PRI", "PT", *comunes)),
        ),
        (EstiloBoleta("08", (1,)), EstiloBoleta("14", (2, 3)), EstiloBoleta("32", (4,))),
    )


@functools.cache
def eleccion() -> tuple[ConfiguracionEleccion, RegistroLlaves, ContextoEleccion]:
    configuracion = ConfiguracionEleccion(3, 2, "2027-06-06", "Simulacro de pruebas del servidor", manifiesto())
    _custodios, registro, contexto = ceremonia_en_proceso(configuracion)
    return configuracion, registro, contexto


@dataclass
class ElectorPrueba:
    id: int
    correo: str
    entidad: str
    secreto: str
    credencial: ParCredencial
    _pasos: list[int] = field(default_factory=list)

    def codigo(self) -> str:
        """Un código TOTP aún no usado (como ``Personal.codigo``)."""
        paso = max(int(time.time() // 30), self._pasos[-1] + 1)
        self._pasos.append(paso)
        if paso > int(time.time() // 30) + 1:
            time.sleep(30 * (paso - int(time.time() // 30) - 1) + 0.5)
        return codigo_totp(self.secreto, paso * 30 + 1)

    def sesion(self, cliente: FlaskClient) -> dict[str, str]:
        r = cliente.post(
            "/api/v1/elector/sesion", json={"correo": self.correo, "contrasena": CONTRASENA, "codigo": self.codigo()}
        )
        assert r.status_code == 201, r.get_json()
        return cabecera(r.get_json()["testigo"])


@dataclass
class Escenario:
    app: Flask
    admin: Personal
    proceso_id: int
    corte_id: int
    electores: list[ElectorPrueba]
    contexto: ContextoEleccion
    registro: RegistroLlaves
    configuracion: ConfiguracionEleccion
    h_c: bytes
    extra: dict[str, Any] = field(default_factory=dict)


def crear_escenario(app: Flask, n: int = 3, *, documento_alterado: bool = False) -> Escenario:
    """Proceso en ``llave_publicada`` + corte electrónico + credenciales + ``n`` cuentas activas."""
    configuracion, registro, contexto = eleccion()
    admin = crear_personal(app, Rol.ADMINISTRADOR)
    credenciales = [generar_credencial(GRUPO_ESTANDAR) for _ in range(n)]
    ordenadas = sorted((c.publica for c in credenciales), key=lambda x: int(x.valor))
    h_c = hash_lista_credenciales_del_grupo(GRUPO_ESTANDAR, ordenadas)
    paso = int(time.time() // 30) - 1
    electores = []
    with transaccion(app.extensions["vmre"]["fabrica"]) as bd:
        version = (
            bd.scalar(select(func.max(CorteLNERE.version)).where(CorteLNERE.modalidad == "electronica")) or 0
        ) + 1
        sello = f"{version}-{time.monotonic_ns() % 10**9}"
        correos = [f"votante{i}.{sello}@correo.example" for i in range(n)]
        documento = "\n".join(f"CLAVE{i:013d}|{c}" for i, c in enumerate(correos)).encode()
        codigo = hashlib.sha256(b"otro" if documento_alterado else documento).hexdigest()
        corte = CorteLNERE(
            modalidad="electronica",
            version=version,
            creado_por=admin.id,
            num_registros=n,
            codigo_integridad=codigo,
            documento=documento,
        )
        bd.add(corte)
        bd.flush()
        lista = ListaCredencialesPublicas(
            corte_id=corte.id, cargada_por=admin.id, num_credenciales=n, hash_lista=h_c.hex()
        )
        bd.add(lista)
        bd.flush()
        bd.add_all([CredencialPublica(lista_id=lista.id, publica=a_json(x)) for x in ordenadas])
        contrasena = hash_contrasena(CONTRASENA)
        for i, correo in enumerate(correos):
            secreto = secreto_totp_nuevo()
            entidad = ENTIDADES[i % len(ENTIDADES)]
            cuenta = CuentaElector(
                clave_elector=f"V{sello}{i:06d}"[:18],
                corte_id=corte.id,
                correo=correo,
                telefono=f"+1202{version:03d}{i:04d}{time.monotonic_ns() % 1000:03d}"[:20],
                entidad=entidad,
                pais="US",
                estado="activa",
                hash_contrasena=contrasena,
                totp_secreto=secreto,
                activada=ahora(),
            )
            bd.add(cuenta)
            bd.flush()
            electores.append(ElectorPrueba(cuenta.id, correo, entidad, secreto, credenciales[i], [paso]))
        proceso = ProcesoElectoral(
            nombre="Simulacro de pruebas",
            estado="llave_publicada",
            configuracion=serializar(configuracion),
            h_m=configuracion.h_m.hex(),
            h_b=configuracion.h_b.hex(),
            registro_llaves=serializar(registro),
            contexto=serializar(contexto),
            h_e=contexto.h_e.hex(),
            creado_por=admin.id,
        )
        bd.add(proceso)
        bd.flush()
        proceso_id, corte_id = proceso.id, corte.id
    return Escenario(app, admin, proceso_id, corte_id, electores, contexto, registro, configuracion, h_c)


def fin_en(minutos: float) -> str:
    return (ahora() + timedelta(minutes=minutos)).isoformat().replace("+00:00", "Z")


def abrir(cliente: FlaskClient, e: Escenario, minutos: float = 30) -> dict[str, Any]:
    cab = sesion_api(cliente, e.admin)
    e.extra["admin_cabecera"] = cab
    r = cliente.post(
        f"/api/v1/sivei/apertura/{e.proceso_id}", json={"corte": e.corte_id, "fin": fin_en(minutos)}, headers=cab
    )
    assert r.status_code == 201, r.get_json()
    return dict(r.get_json())


def error(r: Any) -> str:
    return str(r.get_json()["error"]["codigo"])
