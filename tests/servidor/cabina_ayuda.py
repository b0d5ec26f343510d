"""Utilidades de las pruebas de la cabina web (§24): escenario con custodios, acceso del elector en
el navegador y un vigilante de peticiones y consola (24.5, CSP)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote

import pytest
from flask import Flask
from flask.testing import FlaskClient
from herramientas import CONTRASENA
from test_computo import Computo, cerrar_y_descifrar
from test_computo import proceso_abierto as _proceso_abierto
from test_votacion_fabrica import ElectorPrueba

from vmre_crypto import codificar_credencial_secreta

#: Esperas del navegador: el cifrado de una boleta tarda segundos en una máquina lenta de CI.
ESPERA_MS = 60_000


def proceso_abierto(app: Flask, cliente: FlaskClient, monkeypatch: pytest.MonkeyPatch, n: int = 4) -> Computo:
    """El proceso abierto de test_computo (3 custodios cuyas llaves conoce la prueba), con ``n`` electores."""
    return _proceso_abierto(app, cliente, monkeypatch, n)


def descifrar(c: Computo) -> dict[str, Any]:
    """Cierra y descifra con los custodios 1 y 2 (§21); devuelve los resultados publicados."""
    cerrar_y_descifrar(c, (1, 2))
    return dict(c.cliente.get(f"/api/v1/sivei/resultados/{c.e.proceso_id}").get_json())


def credencial_texto(elector: ElectorPrueba) -> str:
    return codificar_credencial_secreta(elector.credencial.secreta)


def entrar_a_la_cabina(pagina: Any, url: str, elector: ElectorPrueba, proceso_id: int) -> Any:
    """Abre la cabina sin sesión: el acceso la pide y, al entrar, regresa a ella (24.2).
    Devuelve la respuesta de la página de la cabina."""
    destino = f"/sivei/votar/{proceso_id}"
    pagina.goto(url + destino)
    assert "/elector/acceso" in pagina.url and "siguiente=" in pagina.url, pagina.url
    pagina.fill("#correo", elector.correo)
    pagina.fill("#contrasena", CONTRASENA)
    pagina.fill("#codigo", elector.codigo())
    with pagina.expect_response(lambda r: r.url.endswith(destino) and r.request.method == "GET") as info:
        pagina.get_by_role("button", name="Entrar").click()
    pagina.wait_for_url(f"**{destino}")
    return info.value


def esperar_paso(pagina: Any, paso: str) -> None:
    """Espera el paso visible y comprueba que el foco está en su encabezado (24.11)."""
    pagina.locator(f"#paso-{paso}").wait_for(state="visible", timeout=ESPERA_MS)
    pagina.wait_for_function(
        "id => document.activeElement && document.activeElement.id === id", arg=f"titulo-{paso}", timeout=ESPERA_MS
    )


def ir_con_tab_a(pagina: Any, ident: str, maximo: int = 25) -> None:
    """Pulsa Tab hasta que el foco llegue al elemento ``ident`` (solo teclado)."""
    for _ in range(maximo):
        if pagina.evaluate("() => document.activeElement && document.activeElement.id") == ident:
            return
        pagina.keyboard.press("Tab")
    raise AssertionError(f"con Tab no se llega a #{ident}")


@dataclass
class Vigilante:
    """Anota cada petición del navegador y cada mensaje de consola de la página.

    ``secretos``: textos que ninguna URL ni cuerpo puede contener (sin distinguir mayúsculas);
    ``patrones``: expresiones que tampoco (p. ej. las marcas en JSON)."""

    pagina: Any
    secretos: list[str]
    patrones: list[re.Pattern[str]] = field(default_factory=list)
    peticiones: list[tuple[str, str, str]] = field(default_factory=list)
    consola: list[tuple[str, str]] = field(default_factory=list)
    errores: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.pagina.on("request", self._peticion)
        self.pagina.on("console", lambda m: self.consola.append((m.type, m.text)))
        self.pagina.on("pageerror", lambda e: self.errores.append(str(e)))

    def _peticion(self, peticion: Any) -> None:
        try:
            cuerpo = peticion.post_data or ""
        except Exception:  # un cuerpo binario: se revisa como bytes
            cuerpo = (peticion.post_data_buffer or b"").decode("latin-1")
        self.peticiones.append((peticion.method, peticion.url, cuerpo))

    def cuerpos(self, metodo: str, fin_url: str) -> list[str]:
        return [c for m, u, c in self.peticiones if m == metodo and u.endswith(fin_url)]

    def revisar(self) -> None:
        """(24.5) Nada secreto salió; (18.5) ninguna violación de la CSP ni error de script."""
        assert self.peticiones, "el vigilante no vio ninguna petición"
        for metodo, url, cuerpo in self.peticiones:
            texto = f"{unquote(url)}\n{cuerpo}"
            minusculas = texto.lower()
            for secreto in self.secretos:
                assert secreto.lower() not in minusculas, (metodo, url, secreto[:12])
            for patron in self.patrones:
                assert not patron.search(texto), (metodo, url, patron.pattern)
        csp = [t for _tipo, t in self.consola if "Content Security Policy" in t or "Content-Security-Policy" in t]
        assert not csp, csp
        assert not self.errores, self.errores
        # Un 401 o 404 esperado (sesión vencida, código que no está) también sale en la consola.
        fallas = [t for tipo, t in self.consola if tipo == "error" and not t.startswith("Failed to load resource")]
        assert not fallas, fallas


def secretos_de(elector: ElectorPrueba, *otros: str) -> list[str]:
    """La credencial en toda forma escrita y x en hexadecimal y decimal (24.5)."""
    texto = credencial_texto(elector)
    x = int(elector.credencial.secreta.valor)
    return [
        texto,
        texto.replace("-", ""),
        f"{x:064x}",
        f"{x:x}",
        str(x),
        *otros,
    ]


#: (24.11) Contraste WCAG 2 de cada texto visible contra el primer fondo opaco de sus ancestros:
#: ≥ 4.5:1, o ≥ 3:1 si es grande (24 px, o 18.66 px en negritas).  Devuelve los que fallan.
_CONTRASTE = """() => {
  const canal = (c) => { c /= 255; return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4; };
  const luz = (c) => 0.2126 * canal(c[0]) + 0.7152 * canal(c[1]) + 0.0722 * canal(c[2]);
  const rgba = (texto) => {
    const m = texto.match(/rgba?\\(([^)]+)\\)/);
    if (!m) return null;
    const p = m[1].split(/[\\s,\\/]+/).filter(Boolean).map(Number);
    return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1];
  };
  const fondo = (nodo) => {
    for (let n = nodo; n; n = n.parentElement) {
      const c = rgba(getComputedStyle(n).backgroundColor);
      if (c && c[3] > 0.99) return c;
    }
    return [255, 255, 255, 1];
  };
  const fallas = [];
  for (const nodo of document.querySelectorAll("body *")) {
    if (!nodo.getClientRects().length || getComputedStyle(nodo).visibility === "hidden") continue;
    if (![...nodo.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim())) continue;
    const estilo = getComputedStyle(nodo);
    const a = luz(rgba(estilo.color));
    const b = luz(fondo(nodo));
    const razon = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
    const tamano = parseFloat(estilo.fontSize);
    const grande = tamano >= 24 || (Number(estilo.fontWeight) >= 700 && tamano >= 18.66);
    if (razon < (grande ? 3 : 4.5)) fallas.push(`${nodo.tagName}#${nodo.id}: ${razon.toFixed(2)}`);
  }
  return fallas;
}"""


def contraste_aa(pagina: Any) -> None:
    fallas = pagina.evaluate(_CONTRASTE)
    assert not fallas, fallas
