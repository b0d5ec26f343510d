"""La cabina web (§24) en Chromium de Debian, contra el servidor por HTTP real.

- test_voto_completo_en_telefono: paso_1 acceso y regreso a la cabina → paso_2 credencial →
  paso_3 boleta (radio, casillas con tope, candidatura no registrada con nombre) → paso_4 revisión
  → paso_5 código → paso_6 depósito y recibo descargado → paso_7 «Verifica tu recibo» con el
  archivo → paso_8 cierre, descifrado y ``verificar_registro`` con el voto contado.
- test_desafio_solo_con_teclado: error de copia de la credencial, selección y avance solo con
  teclado, desafío (lo abierto en el navegador = lo marcado = lo que abrió el servidor), el
  tablero lo muestra desafiado, se vota de nuevo y se deposita.
- test_sesion_vencida_lleva_al_acceso: 401 al depositar y vencimiento por reloj.

En las tres, un vigilante revisa cada petición (24.5: ni credencial, ni x, ni marcas, ni el
nombre escrito) y la consola (ninguna violación de la CSP).
"""

from __future__ import annotations

import json
import re
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from cabina_ayuda import (
    ESPERA_MS,
    Vigilante,
    contraste_aa,
    credencial_texto,
    descifrar,
    entrar_a_la_cabina,
    esperar_paso,
    ir_con_tab_a,
    proceso_abierto,
    secretos_de,
)
from conftest import CHROMIUM, ServidorVivo
from flask import Flask
from flask.testing import FlaskClient
from herramientas import CONTRASENA
from sqlalchemy import func, select

from servidor_referencia.bd.base import ahora, transaccion
from servidor_referencia.bd.personal import Sesion
from servidor_referencia.bd.votacion import BoletaRecibida
from vmre_crypto import verificar_registro

pytestmark = [
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason=f"no hay Chromium en {CHROMIUM}"),
    pytest.mark.skipif(
        not Path(__file__).parents[2].joinpath("servidor_referencia/web/estaticos/vmre/trabajador.js").exists(),
        reason="falta la biblioteca JavaScript (§23)",
    ),
]
expect = pytest.importorskip("playwright.sync_api").expect

#: Las marcas en claro en cualquier JSON (24.5): la cabina nunca las manda.
MARCAS_EN_CLARO = [re.compile(r'"marcas"'), re.compile(r'"selecciones"\s*:\s*\{')]


def _patron_marcas(contienda: int, opciones: list[int]) -> re.Pattern[str]:
    lista = r"\s*,\s*".join(str(o) for o in opciones)
    return re.compile(rf'"{contienda}"\s*:\s*\[\s*{lista}\s*\]')


def _revisar_csp(respuesta: Any) -> None:
    csp = respuesta.headers.get("content-security-policy", "")
    assert "script-src 'self'" in csp and "default-src 'self'" in csp and "unsafe-inline" not in csp, csp


def _sesiones_de(app: Flask, vencen_en: timedelta) -> None:
    with transaccion(app.extensions["vmre"]["fabrica"]) as bd:
        for s in bd.scalars(select(Sesion).where(Sesion.sujeto_tipo == "elector", Sesion.cerrada.is_(False))):
            s.expira = ahora() + vencen_en


def test_voto_completo_en_telefono(
    servidor_vivo: ServidorVivo,
    pagina_movil: Any,
    app: Flask,
    cliente: FlaskClient,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    c = proceso_abierto(app, cliente, monkeypatch)
    e, pagina, url = c.e, pagina_movil, servidor_vivo.url
    elector = e.electores[1]  # Jalisco: gubernatura (L = 1) y diputación (L = 2)
    p = e.proceso_id
    nombre = "Juana Pérez Escrita"
    vigilante = Vigilante(
        pagina, secretos_de(elector, nombre), [*MARCAS_EN_CLARO, _patron_marcas(2, [3]), _patron_marcas(3, [1, 3])]
    )

    # paso_1: sin sesión, la cabina lleva al acceso; al entrar regresa a ella (24.2).
    _revisar_csp(entrar_a_la_cabina(pagina, url, elector, p))
    esperar_paso(pagina, "credencial")
    assert pagina.locator("#cabina form").count() == 0  # nada se envía con un formulario (24.5)
    # paso_2: una credencial incompleta se explica; en minúsculas sirve igual (17.10).
    pagina.fill("#credencial", credencial_texto(elector)[:-5])
    pagina.click("#boton-credencial")
    expect(pagina.locator("#error-credencial")).to_contain_text("56")
    assert pagina.get_attribute("#credencial", "aria-invalid") == "true"
    pagina.fill("#credencial", credencial_texto(elector).lower())
    pagina.click("#boton-credencial")
    esperar_paso(pagina, "boleta")

    # (23.5) La huella H_E que recalculó el navegador es la de la elección (la del acta de inicio).
    h_e = e.contexto.h_e.hex().upper()
    expect(pagina.locator("#cabina-huella")).to_have_text(" ".join(h_e[i : i + 4] for i in range(0, 64, 4)))

    # paso_3: la boleta de su entidad, con el límite explicado (24.6).
    leyendas = pagina.locator("fieldset.cabina-contienda legend").all_inner_texts()
    assert leyendas == ["Gubernatura de Jalisco", "Diputación migrante (hasta 2)"]
    expect(pagina.locator("#limite-2")).to_contain_text("Marque una opción.")
    expect(pagina.locator("#limite-3")).to_contain_text("Marque hasta 2 opciones.")
    assert pagina.get_attribute("#opcion-2-1", "type") == "radio"
    assert pagina.get_attribute("#opcion-3-1", "type") == "checkbox"
    assert pagina.locator("#nombre-2").is_disabled()
    pagina.get_by_label("Voto nulo", exact=True).check()
    pagina.get_by_label("Candidatura no registrada", exact=True).check()
    assert not pagina.is_checked("#opcion-2-4")
    pagina.fill("#nombre-2", nombre)
    pagina.check("#opcion-3-1")
    pagina.check("#opcion-3-3")
    assert pagina.locator("#opcion-3-2").is_disabled()  # tope de 2
    expect(pagina.locator("#cuenta-3")).to_contain_text("2 de 2")
    # Sin desplazamiento horizontal en 390 px, y contraste AA (24.11).
    assert pagina.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")
    contraste_aa(pagina)

    # paso_4: revisión.
    pagina.click("#boton-revisar")
    esperar_paso(pagina, "revision")
    revision = pagina.locator("#revision-lista")
    for texto in ("Candidatura no registrada", nombre, "no se envía", "Fórmula A", "Fórmula C"):
        expect(revision).to_contain_text(texto)

    # paso_5: cifrado en el trabajador y código legible (24.7).
    pagina.click("#boton-cifrar")
    esperar_paso(pagina, "codigo")
    codigo = pagina.get_attribute("#cabina", "data-codigo")
    assert codigo and re.fullmatch("[0-9A-F]{64}", codigo)
    assert pagina.inner_text("#codigo-confirmacion").split() == [codigo[i : i + 4] for i in range(0, 64, 4)]

    # paso_6: depósito, recibo y descarga (24.7, 24.8).
    pagina.click("#boton-depositar")
    esperar_paso(pagina, "recibo")
    contraste_aa(pagina)
    encontrado = cliente.get(f"/api/v1/sivei/tablero/{p}/codigo/{codigo}").get_json()
    assert encontrado["estado"] == "depositada"
    assert pagina.inner_text("#recibo-posicion") == str(encontrado["posicion"])
    assert pagina.inner_text("#recibo-cabeza") == encontrado["hash_entrada"]
    assert pagina.input_value("#credencial") == "" and not pagina.is_checked("#opcion-3-1")  # olvidado
    with pagina.expect_download() as descarga:
        pagina.click("#boton-descargar")
    archivo = tmp_path / descarga.value.suggested_filename
    descarga.value.save_as(archivo)
    recibo = json.loads(archivo.read_text(encoding="utf-8"))
    assert recibo == {
        "tipo": "recibo_cabina_vmre",
        "version": 1,
        "proceso": p,
        "h_e": e.contexto.h_e.hex().upper(),
        "codigo_confirmacion": codigo,
        "posicion": encontrado["posicion"],
        "tiempo": encontrado["tiempo"],
        "cabeza_tablero": encontrado["hash_entrada"],
    }

    # paso_7: «Verifica tu recibo» encuentra el código y coincide con el archivo (24.9).
    pagina.click("#enlace-verificar")
    pagina.wait_for_url(f"**/sivei/recibo/{p}?codigo=*")
    veredicto = pagina.locator("#recibo-veredicto")
    expect(veredicto).to_contain_text(f"posición {encontrado['posicion']}", timeout=ESPERA_MS)
    pagina.set_input_files("#archivo", str(archivo))
    expect(veredicto).to_contain_text("coinciden con su recibo", timeout=ESPERA_MS)
    for dato in ("Código de confirmación", "Posición", "Hora (UTC)", "Hash de la entrada"):
        expect(pagina.locator(f'#recibo-filas tr[data-dato="{dato}"] td').nth(2)).to_have_text("Sí")
    contraste_aa(pagina)
    assert pagina.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")
    vigilante.revisar()
    (cuerpo,) = vigilante.cuerpos("POST", f"/sivei/votar/{p}/depositar")
    assert json.loads(cuerpo)["boleta"]["codigo_confirmacion"] == codigo

    # paso_8: cierre y descifrado; el registro con la boleta del navegador pasa el verificador.
    resultados = descifrar(c)
    votos = {x["indice"]: [o["votos"] for o in x["opciones"]] for x in resultados["contiendas"]}
    assert votos[2] == [0, 0, 1, 0] and votos[3] == [1, 0, 1]
    registro = tmp_path / "registro"
    registro.mkdir()
    (registro / "tablero.jsonl").write_bytes(cliente.get(f"/api/v1/sivei/tablero/{p}/tablero.jsonl").get_data())
    informe = verificar_registro(registro, procesos=1)
    assert informe.ok, informe.como_dict()


def test_desafio_solo_con_teclado(
    servidor_vivo: ServidorVivo,
    navegador: Any,
    app: Flask,
    cliente: FlaskClient,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    c = proceso_abierto(app, cliente, monkeypatch)
    e, url = c.e, servidor_vivo.url
    elector = e.electores[0]  # Chihuahua: PAN, MORENA, candidatura no registrada, voto nulo
    p = e.proceso_id
    contexto = navegador.new_context(locale="es-MX", viewport={"width": 1280, "height": 900})
    try:
        pagina = contexto.new_page()
        vigilante = Vigilante(pagina, secretos_de(elector), [*MARCAS_EN_CLARO, _patron_marcas(1, [2])])
        entrar_a_la_cabina(pagina, url, elector, p)
        esperar_paso(pagina, "credencial")

        # Un símbolo cambiado: el CRC-24 lo detecta en el trabajador y la cabina lo explica en el
        # mismo paso, con el foco en el campo.
        buena = credencial_texto(elector)
        mala = buena[:5] + ("0" if buena[5] != "0" else "1") + buena[6:]
        ir_con_tab_a(pagina, "credencial")
        pagina.keyboard.type(mala)
        pagina.keyboard.press("Enter")
        expect(pagina.locator("#error-credencial")).to_contain_text("error de copia", timeout=ESPERA_MS)
        assert pagina.is_hidden("#paso-boleta")
        assert pagina.evaluate("() => document.activeElement.id") == "credencial"
        pagina.keyboard.press("Control+A")
        pagina.keyboard.type(buena)
        pagina.keyboard.press("Enter")
        esperar_paso(pagina, "boleta")

        # Selección solo con teclado: Tab entra al grupo de radios y la flecha marca (24.11).
        pagina.keyboard.press("Tab")
        assert pagina.evaluate("() => document.activeElement.id") == "opcion-1-1"
        pagina.keyboard.press("ArrowDown")
        assert pagina.is_checked("#opcion-1-2")
        ir_con_tab_a(pagina, "boton-revisar")
        pagina.keyboard.press("Enter")
        esperar_paso(pagina, "revision")
        expect(pagina.locator("#revision-lista")).to_contain_text("MORENA")
        ir_con_tab_a(pagina, "boton-cifrar")
        pagina.keyboard.press("Enter")
        esperar_paso(pagina, "codigo")
        desafiado = pagina.get_attribute("#cabina", "data-codigo")
        ir_con_tab_a(pagina, "boton-desafiar")
        pagina.keyboard.press("Enter")

        # Desafío (24.12): abierto en el navegador = marcado = abierto por el servidor.
        esperar_paso(pagina, "desafio")
        expect(pagina.locator("#desafio-veredicto")).to_contain_text("Coinciden")
        celdas = pagina.locator('#desafio-filas tr[data-contienda="1"] td').all_inner_texts()
        assert celdas == ["MORENA", "MORENA", "MORENA"]
        expect(pagina.locator("#desafio-codigo")).to_contain_text(desafiado[:4])
        tablero = contexto.new_page()
        tablero.goto(f"{url}/sivei/tablero/{p}?codigo={desafiado}")
        expect(tablero.locator("#resultado")).to_contain_text("desafiada")
        tablero.close()

        # Se vota de nuevo: boleta nueva, código nuevo, y se deposita.
        pagina.bring_to_front()
        ir_con_tab_a(pagina, "boton-otra-vez")
        pagina.keyboard.press("Enter")
        esperar_paso(pagina, "boleta")
        assert pagina.is_checked("#opcion-1-2")
        ir_con_tab_a(pagina, "boton-revisar")
        pagina.keyboard.press("Enter")
        esperar_paso(pagina, "revision")
        ir_con_tab_a(pagina, "boton-cifrar")
        pagina.keyboard.press("Enter")
        esperar_paso(pagina, "codigo")
        nuevo = pagina.get_attribute("#cabina", "data-codigo")
        assert nuevo and nuevo != desafiado
        ir_con_tab_a(pagina, "boton-depositar")
        pagina.keyboard.press("Enter")
        esperar_paso(pagina, "recibo")
        estados = {
            codigo: cliente.get(f"/api/v1/sivei/tablero/{p}/codigo/{codigo}").get_json()["estado"]
            for codigo in (desafiado, nuevo)
        }
        assert estados == {desafiado: "desafiada", nuevo: "depositada"}
        (envio,) = vigilante.cuerpos("POST", f"/sivei/votar/{p}/desafiar")
        assert set(json.loads(envio)) == {"boleta", "apertura"}
        vigilante.revisar()
    finally:
        contexto.close()


def test_sesion_vencida_lleva_al_acceso(
    servidor_vivo: ServidorVivo,
    pagina_movil: Any,
    app: Flask,
    cliente: FlaskClient,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    c = proceso_abierto(app, cliente, monkeypatch)
    e, pagina, url = c.e, pagina_movil, servidor_vivo.url
    elector = e.electores[2]  # Zacatecas
    p = e.proceso_id
    vigilante = Vigilante(pagina, secretos_de(elector), [*MARCAS_EN_CLARO, _patron_marcas(4, [1])])
    entrar_a_la_cabina(pagina, url, elector, p)
    esperar_paso(pagina, "credencial")
    pagina.fill("#credencial", credencial_texto(elector))
    pagina.click("#boton-credencial")
    esperar_paso(pagina, "boleta")
    pagina.check("#opcion-4-1")
    pagina.click("#boton-revisar")
    pagina.click("#boton-cifrar")
    esperar_paso(pagina, "codigo")

    # El servidor responde 401 sesion_expirada: la cabina olvida todo y lleva al acceso (24.4).
    _sesiones_de(app, timedelta(seconds=-1))
    pagina.click("#boton-depositar")
    pagina.wait_for_url(lambda u: "/elector/acceso?expirada=1&" in u, timeout=ESPERA_MS)
    expect(pagina.get_by_text("Su sesión expiró")).to_be_visible()
    with transaccion(app.extensions["vmre"]["fabrica"]) as bd:
        assert bd.scalar(select(func.count()).select_from(BoletaRecibida)) == 0

    # Al entrar de nuevo regresa a la cabina, vacía.
    pagina.fill("#correo", elector.correo)
    pagina.fill("#contrasena", CONTRASENA)
    pagina.fill("#codigo", elector.codigo())
    pagina.get_by_role("button", name="Entrar").click()
    pagina.wait_for_url(f"**/sivei/votar/{p}")
    esperar_paso(pagina, "credencial")
    assert pagina.input_value("#credencial") == ""

    # Sin pedir nada, al cumplirse la hora de la sesión la cabina también se va al acceso (24.5).
    _sesiones_de(app, timedelta(seconds=3))
    pagina.reload()
    esperar_paso(pagina, "credencial")
    pagina.wait_for_url(lambda u: "/elector/acceso?expirada=1&" in u, timeout=ESPERA_MS)
    vigilante.revisar()
