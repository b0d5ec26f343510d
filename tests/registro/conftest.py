"""Fixtures del registro publicado: un registro de muestra pequeño, generado una sola vez.

``correr_ejemplo(boletas=8, desafios=2, semilla=11)`` produce 30 entradas (configuración,
5 compromisos, registro de llaves, lista y una parte de credenciales, acta de inicio, 2 boletas
desafiadas y 8 depositadas de los tres estilos, escrutinio, 3 parciales, retos, 3 respuestas,
resultado y acta de cómputo); verificarlo toma alrededor de un segundo.

Las credenciales del ejemplo no salen de ``correr_ejemplo``: aquí se interceptan (envolviendo
``generar_credencial`` sin cambiar el azar consumido) para que las pruebas puedan fabricar
boletas firmadas con una credencial inscrita.  Las pruebas nunca modifican el registro de la
sesión: lo copian a su propio ``tmp_path``.
"""

from __future__ import annotations

from pathlib import Path

import herramientas as hr
import pytest

import vmre_crypto.ejemplo as modulo_ejemplo
from vmre_crypto.credenciales import ParCredencial
from vmre_crypto.ejemplo import correr_ejemplo

BOLETAS = 8
DESAFIOS = 2
SEMILLA = 11


def generar_muestra(directorio: Path, **opciones: int) -> hr.RegistroMuestra:
    capturadas: list[ParCredencial] = []
    original = modulo_ejemplo.generar_credencial

    def generar_y_recordar(grupo):  # type: ignore[no-untyped-def]
        credencial = original(grupo)
        capturadas.append(credencial)
        return credencial

    with pytest.MonkeyPatch.context() as parche:
        parche.setattr(modulo_ejemplo, "generar_credencial", generar_y_recordar)
        resumen = correr_ejemplo(salida=directorio, **opciones)
    assert resumen.coincide
    lineas = hr.leer_lineas(directorio)
    credenciales = {hr.en_json(c.publica): c for c in capturadas}
    return hr.RegistroMuestra(directorio, credenciales, hr.contexto_de(lineas))


@pytest.fixture(scope="session")
def muestra(tmp_path_factory: pytest.TempPathFactory) -> hr.RegistroMuestra:
    """El registro de muestra de la sesión (¡solo lectura!)."""
    directorio = tmp_path_factory.mktemp("registro_muestra")
    return generar_muestra(directorio, boletas=BOLETAS, desafios=DESAFIOS, semilla=SEMILLA)


@pytest.fixture
def copia(muestra: hr.RegistroMuestra, tmp_path: Path) -> Path:
    """Una copia del registro de muestra en el ``tmp_path`` de la prueba."""
    return hr.copiar_registro(muestra.directorio, tmp_path / "registro")
