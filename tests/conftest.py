"""Fixtures compartidas: una elección de prueba completa sobre el manifiesto de ejemplo.

Todo lo costoso (la ceremonia de 5 custodios con cuórum 3, las credenciales y unas pocas
boletas con marcas conocidas) se construye una sola vez por sesión y con azar determinista
(``con_semilla``), de modo que una falla se reproduce exactamente.  Los objetos con estado
(``Custodio``) se comparten: las pruebas que necesitan mutar una ceremonia crean la suya.

También vive aquí el navegador real (``navegador``: Chromium de Debian por Playwright, uno por
sesión) que usan tests/servidor y tests/navegador.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from vmre_crypto import (
    BoletaCifrada,
    BoletaPreparada,
    ConfiguracionEleccion,
    ContextoEleccion,
    Custodio,
    EscrutinioCifrado,
    LlaveCustodio,
    Manifiesto,
    ParCredencial,
    RegistroLlaves,
    acumular,
    ceremonia_en_proceso,
    cifrar_boleta,
    generar_credencial,
)
from vmre_crypto.ejemplo import manifiesto_ejemplo
from vmre_crypto.testing.azar import con_semilla

CUSTODIOS = 5
CUORUM = 3
FECHA = "2027-06-06"
INFO = "Elección de prueba de vmre"

#: Boletas con marcas conocidas: (estilo, {contienda: opciones marcadas}).  Cubren los tres
#: estilos, contiendas vacías, la última opción y el límite 2 de la contienda 4.
MARCAS_CONOCIDAS: tuple[tuple[str, dict[int, tuple[int, ...]]], ...] = (
    ("CHIH", {1: (2,)}),
    ("CHIH", {1: (10,)}),
    ("JAL", {2: (1,), 4: (1, 3)}),
    ("JAL", {2: (), 4: (4,)}),
    ("ZAC", {3: (7,)}),
    ("JAL", {2: (9,), 4: (1, 2)}),
)


@dataclass(frozen=True)
class CeremoniaCompleta:
    custodios: list[Custodio]
    registro: RegistroLlaves
    contexto: ContextoEleccion

    def llave(self, indice: int) -> LlaveCustodio:
        return self.custodios[indice - 1].llave()


@dataclass(frozen=True)
class BoletaConocida:
    estilo: str
    marcas: dict[int, tuple[int, ...]]
    preparada: BoletaPreparada
    credencial: ParCredencial

    @property
    def boleta(self) -> BoletaCifrada:
        return self.preparada.boleta


def _contar(manifiesto: Manifiesto, marcas: list[dict[int, tuple[int, ...]]]) -> dict[int, dict[int, int]]:
    """Conteo esperado (contienda → opción → votos) calculado en claro a partir de las marcas."""
    conteo = {c.indice: {o.indice: 0 for o in c.opciones} for c in manifiesto.contiendas}
    for boleta in marcas:
        for contienda, opciones in boleta.items():
            for opcion in opciones:
                conteo[contienda][opcion] += 1
    return conteo


@pytest.fixture(scope="session")
def manifiesto() -> Manifiesto:
    return manifiesto_ejemplo()


@pytest.fixture(scope="session")
def configuracion(manifiesto: Manifiesto) -> ConfiguracionEleccion:
    return ConfiguracionEleccion(CUSTODIOS, CUORUM, FECHA, INFO, manifiesto)


@pytest.fixture(scope="session")
def ceremonia(configuracion: ConfiguracionEleccion) -> CeremoniaCompleta:
    with con_semilla("vmre-pruebas/ceremonia"):
        return CeremoniaCompleta(*ceremonia_en_proceso(configuracion))


@pytest.fixture(scope="session")
def contexto(ceremonia: CeremoniaCompleta) -> ContextoEleccion:
    return ceremonia.contexto


@pytest.fixture(scope="session")
def registro(ceremonia: CeremoniaCompleta) -> RegistroLlaves:
    return ceremonia.registro


@pytest.fixture(scope="session")
def llaves(ceremonia: CeremoniaCompleta) -> dict[int, LlaveCustodio]:
    """P(ℓ) de cada custodio ℓ = 1..5 (solo las pruebas pueden reunirlas todas)."""
    return {c.indice: c.llave() for c in ceremonia.custodios}


@pytest.fixture(scope="session")
def credenciales(contexto: ContextoEleccion) -> list[ParCredencial]:
    with con_semilla("vmre-pruebas/credenciales"):
        return [generar_credencial(contexto.grupo) for _ in range(len(MARCAS_CONOCIDAS) + 2)]


@pytest.fixture(scope="session")
def boletas_conocidas(contexto: ContextoEleccion, credenciales: list[ParCredencial]) -> list[BoletaConocida]:
    """Una boleta firmada por credencial; las dos últimas credenciales quedan sin votar."""
    with con_semilla("vmre-pruebas/boletas"):
        return [
            BoletaConocida(estilo, marcas, cifrar_boleta(contexto, estilo, marcas, credencial), credencial)
            for (estilo, marcas), credencial in zip(
                MARCAS_CONOCIDAS, credenciales[: len(MARCAS_CONOCIDAS)], strict=True
            )
        ]


@pytest.fixture(scope="session")
def escrutinio(contexto: ContextoEleccion, boletas_conocidas: list[BoletaConocida]) -> EscrutinioCifrado:
    return acumular(contexto, [b.boleta for b in boletas_conocidas])


@pytest.fixture(scope="session")
def conteos_esperados(manifiesto: Manifiesto, boletas_conocidas: list[BoletaConocida]) -> dict[int, dict[int, int]]:
    return _contar(manifiesto, [b.marcas for b in boletas_conocidas])


@pytest.fixture(scope="session")
def contar_marcas(
    manifiesto: Manifiesto,
) -> Callable[[list[dict[int, tuple[int, ...]]]], dict[int, dict[int, int]]]:
    """Función que calcula en claro el conteo esperado de una lista de marcas."""
    return lambda marcas: _contar(manifiesto, marcas)


# -- Navegador real (tests/servidor, tests/navegador y benchmarks/navegador.py) ----------------

# El ejecutable y las banderas están en servidor_referencia/clientes/chromium.py (también los usan
# vmre simulacro --navegador y benchmarks/navegador.py).
from servidor_referencia.clientes.chromium import ARGUMENTOS_CHROMIUM, CHROMIUM  # noqa: E402


@pytest.fixture(scope="session")
def navegador() -> Iterator[Any]:
    """Chromium de Debian manejado por Playwright (una instancia para toda la sesión de pruebas)."""
    if not CHROMIUM.exists():
        pytest.skip(f"no hay Chromium en {CHROMIUM} (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:  # pragma: no cover - playwright viene con el extra [test]
        pytest.skip("Playwright para Python no está instalado")
    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=ARGUMENTOS_CHROMIUM)
        try:
            yield chromium
        finally:
            chromium.close()
