"""Los módulos de pantalla de la cabina (§24) en Chromium, sin cifrar nada: la boleta (24.6) con
una contienda de L = 2 que tiene voto nulo y candidatura no registrada (el manifiesto de las demás
pruebas no la tiene), la forma de la credencial (17.10) y el código agrupado (24.7)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from conftest import CHROMIUM, ServidorVivo

pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason=f"no hay Chromium en {CHROMIUM}")

CONTIENDAS = [
    {
        "indice": 5,
        "etiqueta": "Regidurías (hasta 2)",
        "limite_seleccion": 2,
        "opciones": [
            {"indice": 1, "etiqueta": "Planilla A"},
            {"indice": 2, "etiqueta": "Planilla B"},
            {"indice": 3, "etiqueta": "Planilla C"},
            {"indice": 4, "etiqueta": "Candidatura no registrada"},
            {"indice": 5, "etiqueta": "Voto nulo"},
        ],
    },
    {
        "indice": 6,
        "etiqueta": "Consulta",
        "limite_seleccion": 1,
        "opciones": [{"indice": 1, "etiqueta": "Sí"}, {"indice": 2, "etiqueta": "No"}],
    },
]
ESPECIALES = [{"contienda": 5, "no_registrada": 4, "nulo": 5}, {"contienda": 6, "no_registrada": None, "nulo": None}]


@pytest.fixture
def pagina(servidor_vivo: ServidorVivo, navegador: Any) -> Any:
    contexto = navegador.new_context(locale="es-MX", viewport={"width": 390, "height": 844})
    pagina = contexto.new_page()
    errores: list[str] = []
    pagina.on("pageerror", lambda e: errores.append(str(e)))
    pagina.goto(servidor_vivo.url + "/")
    pagina.evaluate(
        """async ([contiendas, especiales]) => {
            const { Boleta } = await import("/estaticos/cabina/boleta.js");
            const div = document.createElement("div");
            div.id = "prueba";
            document.querySelector("main").append(div);
            window.boleta = new Boleta(div, contiendas, especiales);
        }""",
        [CONTIENDAS, ESPECIALES],
    )
    yield pagina
    assert not errores, errores
    contexto.close()


def _marcas(pagina: Any) -> dict[str, list[int]]:
    return dict(pagina.evaluate("() => window.boleta.marcas()"))


def test_tope_voto_nulo_exclusivo_y_nombre_no_registrada(pagina: Any) -> None:
    assert pagina.inner_text("#limite-5").startswith("Marque hasta 2 opciones.")
    assert pagina.inner_text("#limite-6").startswith("Marque una opción.")
    assert _marcas(pagina) == {"5": [], "6": []}
    # Tope: con 2 marcas las demás se desactivan, salvo el voto nulo.
    pagina.check("#opcion-5-1")
    pagina.check("#opcion-5-4")
    assert pagina.is_enabled("#nombre-5")
    pagina.fill("#nombre-5", "Nombre Escrito")
    assert pagina.is_disabled("#opcion-5-2") and pagina.is_disabled("#opcion-5-3")
    assert pagina.is_enabled("#opcion-5-5")
    assert "2 de 2" in pagina.inner_text("#cuenta-5")
    resumen = pagina.evaluate("() => window.boleta.resumen()")[0]
    assert resumen["elegidas"] == ["Planilla A", "Candidatura no registrada"]
    assert resumen["nombreNoRegistrada"] == "Nombre Escrito" and not resumen["blanco"]
    # El nulo quita las demás marcas y el nombre escrito.
    pagina.check("#opcion-5-5")
    assert _marcas(pagina)["5"] == [5]
    assert pagina.input_value("#nombre-5") == "" and pagina.is_disabled("#nombre-5")
    assert pagina.is_enabled("#opcion-5-2")
    assert "nulo" in pagina.inner_text("#cuenta-5")
    # Marcar otra opción quita el nulo.
    pagina.check("#opcion-5-2")
    assert _marcas(pagina)["5"] == [2]
    # L = 1: radio, y «Quitar la marca» la deja en blanco.
    pagina.check("#opcion-6-2")
    assert _marcas(pagina)["6"] == [2]
    pagina.get_by_role("button", name="Quitar la marca de Consulta").click()
    assert _marcas(pagina)["6"] == []
    resumen = pagina.evaluate("() => window.boleta.resumen()")
    assert resumen[1]["blanco"] is True and pagina.evaluate("() => window.boleta.problemas()") == []
    # borrar() deja todo como al principio.
    pagina.evaluate("() => window.boleta.borrar()")
    assert _marcas(pagina) == {"5": [], "6": []}


def test_forma_de_la_credencial_y_codigo_agrupado(pagina: Any) -> None:
    resultado = pagina.evaluate(
        """async () => {
            const { revisarFormaCredencial } = await import("/estaticos/cabina/credencial.js");
            const { agruparHex, normalizarCodigo, esCodigo } = await import("/estaticos/cabina/formato.js");
            const buena = "R4YD-VH1Z-1DN9-A46T-NMB7-6RY6-7M7H-GMC3-RC82-CQ6S-87RJ-KZ74-852R-BJ6E";
            return {
                buena: revisarFormaCredencial(buena),
                minusculas: revisarFormaCredencial(buena.toLowerCase().replaceAll("-", " ")),
                corta: revisarFormaCredencial(buena.slice(0, -3)),
                simbolo: revisarFormaCredencial(buena.replace("R4YD", "U4YD")),
                vacia: revisarFormaCredencial("  "),
                agrupado: agruparHex("ab".repeat(32)),
                codigo: esCodigo(normalizarCodigo("ABAB-abab " + "AB".repeat(28))),
            };
        }"""
    )
    assert resultado["buena"] is None and resultado["minusculas"] is None
    assert "56" in resultado["corta"] and "escribió 53" in resultado["corta"]
    assert "«U»" in resultado["simbolo"]
    assert resultado["vacia"].startswith("Escriba")
    assert resultado["agrupado"] == " ".join(["ABAB"] * 16)
    assert resultado["codigo"] is True
