"""Votantes del simulacro que usan la cabina web en un navegador real (``--navegador N``, (22.20)).

Cada uno hace lo que haría una persona en su teléfono, en Chromium sin ventana manejado por
Playwright: entra con correo, contraseña y TOTP, escribe su credencial, marca su boleta, la
revisa, la cifra en el navegador (§23), la desafía si le toca (y comprueba que la página dice que
coincide), y la deposita.  Su recibo debe traer el código que la página le mostró.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from .chromium import ARGUMENTOS_CHROMIUM, CHROMIUM, TELEFONO
from .simulacro_datos import Participante
from .simulacro_infra import ErrorSimulacro

#: Milisegundos que se espera cada paso de la cabina (el primero incluye construir las tablas).
ESPERA_MS = 60_000


def comprobar_navegador() -> None:
    """Antes de empezar el simulacro: hay Playwright para Python y Chromium."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        raise ErrorSimulacro(
            "--navegador necesita Playwright para Python (pip install -e '.[test]' o pip install playwright)."
        ) from None
    if not CHROMIUM.exists():
        raise ErrorSimulacro(
            f"--navegador necesita Chromium en {CHROMIUM} (apt-get install chromium, o VMRE_CHROMIUM)."
        )


def _solo_hex(texto: str) -> str:
    return re.sub(r"[^0-9A-F]", "", texto.upper())


class CabinaEnNavegador:
    """Un Chromium para todos los votantes del navegador; cada uno en un contexto (teléfono) nuevo."""

    def __init__(self, navegador: Any, url: str, proceso: int) -> None:
        self.navegador, self.url, self.proceso = navegador, url, proceso

    def _paso(self, pagina: Any, paso: str) -> None:
        pagina.locator(f"#paso-{paso}").wait_for(state="visible", timeout=ESPERA_MS)

    def _error_visible(self, pagina: Any) -> str:
        error = pagina.locator("#cabina-error")
        return error.inner_text() if error.count() and error.is_visible() else ""

    def votar(self, p: Participante, codigo_totp: str, marcas: dict[int, tuple[int, ...]], desafiar: bool) -> str:
        """Vota (y antes desafía, si ``desafiar``) en la cabina; devuelve el código del recibo."""
        contexto = self.navegador.new_context(**TELEFONO)
        try:
            pagina = contexto.new_page()
            destino = f"/sivei/votar/{self.proceso}"
            pagina.goto(f"{self.url}/elector/acceso?siguiente={destino}")
            pagina.fill("#correo", p.correo)
            pagina.fill("#contrasena", p.contrasena)
            pagina.fill("#codigo", codigo_totp)
            pagina.get_by_role("button", name="Entrar").click()
            pagina.wait_for_url(f"**{destino}", timeout=ESPERA_MS)
            self._paso(pagina, "credencial")
            pagina.fill("#credencial", p.credencial)
            pagina.click("#boton-credencial")
            self._paso(pagina, "boleta")
            for contienda, opciones in marcas.items():
                for opcion in opciones:
                    pagina.check(f"#opcion-{contienda}-{opcion}")
            if desafiar:
                codigo_desafiado = self._cifrar(pagina)
                pagina.click("#boton-desafiar")
                self._paso(pagina, "desafio")
                veredicto = pagina.inner_text("#desafio-veredicto")
                if not veredicto.startswith("Coinciden"):
                    raise ErrorSimulacro(
                        f"El desafío en el navegador del participante {p.numero} no coincide: {veredicto}"
                    )
                if _solo_hex(pagina.inner_text("#desafio-codigo")) != codigo_desafiado:
                    raise ErrorSimulacro(f"La boleta desafiada del participante {p.numero} no es la que se cifró.")
                pagina.click("#boton-otra-vez")
                self._paso(pagina, "boleta")
            codigo = self._cifrar(pagina)
            pagina.click("#boton-depositar")
            try:
                self._paso(pagina, "recibo")
            except Exception:
                raise ErrorSimulacro(
                    f"La cabina no mostró el recibo del participante {p.numero}: {self._error_visible(pagina)}"
                ) from None
            recibo = _solo_hex(pagina.inner_text("#recibo-codigo"))
            if recibo != codigo:
                raise ErrorSimulacro(f"El recibo del participante {p.numero} no trae el código que mostró la cabina.")
            return recibo
        finally:
            contexto.close()

    def _cifrar(self, pagina: Any) -> str:
        pagina.click("#boton-revisar")
        self._paso(pagina, "revision")
        pagina.click("#boton-cifrar")
        self._paso(pagina, "codigo")
        return _solo_hex(pagina.inner_text("#codigo-confirmacion"))


@contextmanager
def cabina_en_navegador(url: str, proceso: int) -> Iterator[CabinaEnNavegador]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        navegador = pw.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=ARGUMENTOS_CHROMIUM)
        try:
            yield CabinaEnNavegador(navegador, url, proceso)
        finally:
            navegador.close()


def votar_en_navegador(
    url: str,
    proceso: int,
    votantes: list[tuple[Participante, dict[int, tuple[int, ...]], bool]],
    codigo_de: Callable[[Participante], str],
    al_votar: Callable[[], None],
) -> list[str]:
    """(22.20) Todos los votantes del navegador, uno tras otro, en un mismo Chromium (Playwright
    síncrono: todo en el hilo que llama).  Devuelve el código de cada recibo."""
    recibos = []
    with cabina_en_navegador(url, proceso) as cabina:
        for p, marcas, desafiar in votantes:
            try:
                recibos.append(cabina.votar(p, codigo_de(p), marcas, desafiar))
            except ErrorSimulacro:
                raise
            except Exception as e:  # errores de Playwright (tiempo agotado, página cerrada…)
                raise ErrorSimulacro(f"Cabina web, participante {p.numero}: {e}") from None
            al_votar()
    return recibos
