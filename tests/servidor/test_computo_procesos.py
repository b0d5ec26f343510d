"""Elección completa sobre HTTP real (§21): ceremonia con un proceso ``vmre custodio ceremonia`` por
custodio, votación (depósitos y un desafío), cierre, descifrado con exactamente k procesos
``vmre custodio descifrar`` (el otro custodio ausente), resultados iguales a lo marcado en claro,
actas por entidad y el registro exportado que acepta ``vmre verificar``."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

from custodios_procesos import entorno_custodio, orden_custodio, proceso_con_custodios
from flask.testing import FlaskClient
from herramientas import sesion_api
from test_votacion_fabrica import crear_escenario, fin_en

from vmre_crypto import GRUPO_ESTANDAR, ContextoEleccion, cifrar_boleta, deserializar, serializar


def _marcas(contexto: ContextoEleccion, estilo: str, i: int) -> dict[int, tuple[int, ...]]:
    manifiesto = contexto.manifiesto
    return {c: ((i * 5 + c) % len(manifiesto.contienda(c).opciones) + 1,) for c in manifiesto.estilo(estilo).contiendas}


def test_eleccion_completa_con_k_procesos_de_custodio(servidor_vivo: Any, cliente: FlaskClient, tmp_path: Path) -> None:
    url, app = servidor_vivo.url, servidor_vivo.app
    pid, personas = proceso_con_custodios(app, cliente, 3, 2)
    rutas = [tmp_path / f"custodio-{i}.vmre" for i in (1, 2, 3)]
    procesos = [
        subprocess.Popen(
            orden_custodio(url, pid, p, ruta, "ceremonia"),
            env=entorno_custodio(p),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for p, ruta in zip(personas, rutas, strict=True)
    ]
    for pr in procesos:
        _salida, errores = pr.communicate(timeout=300)
        assert pr.returncode == 0, errores
    publico = cliente.get(f"/api/v1/sivei/procesos/{pid}").get_json()
    assert publico["estado"] == "llave_publicada"
    contexto = deserializar(publico["contexto"], ContextoEleccion, GRUPO_ESTANDAR)

    # Corte, credenciales y cuentas (la fábrica de la votación); se abre ESTE proceso con ese corte.
    e = crear_escenario(app, 5)
    admin = sesion_api(cliente, e.admin)
    r = cliente.post(f"/api/v1/sivei/apertura/{pid}", json={"corte": e.corte_id, "fin": fin_en(30)}, headers=admin)
    assert r.status_code == 201, r.get_json()
    esperados = {c.indice: [0] * len(c.opciones) for c in contexto.manifiesto.contiendas}
    for i, elector in enumerate(e.electores[:4]):
        cab = elector.sesion(cliente)
        if i == 1:  # desafío de Benaloh: se abre y nunca se cuenta
            otra = cifrar_boleta(contexto, elector.entidad, _marcas(contexto, elector.entidad, 99), elector.credencial)
            r = cliente.post(
                f"/api/v1/sivei/votacion/{pid}/desafiar",
                json={
                    "boleta": json.loads(serializar(otra.boleta)),
                    "apertura": json.loads(serializar(otra.apertura())),
                },
                headers=cab,
            )
            assert r.status_code == 201, r.get_json()
        marcas = _marcas(contexto, elector.entidad, i)
        preparada = cifrar_boleta(contexto, elector.entidad, marcas, elector.credencial)
        r = cliente.post(
            f"/api/v1/sivei/votacion/{pid}/depositar",
            json={"boleta": json.loads(serializar(preparada.boleta))},
            headers=cab,
        )
        assert r.status_code == 201, r.get_json()
        for c, opciones in marcas.items():
            for o in opciones:
                esperados[c][o - 1] += 1
    r = cliente.post(f"/api/v1/sivei/cierre/{pid}", json={}, headers=admin)
    assert r.status_code == 201 and r.get_json()["boletas"] == 4, r.get_json()

    # Exactamente k = 2 custodios (1 y 3); el 2 está ausente.
    descifrando = [
        subprocess.Popen(
            orden_custodio(url, pid, personas[i - 1], rutas[i - 1], "descifrar", espera="240"),
            env=entorno_custodio(personas[i - 1]),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for i in (1, 3)
    ]
    salidas = [pr.communicate(timeout=300) for pr in descifrando]
    for pr, (_s, errores) in zip(descifrando, salidas, strict=True):
        assert pr.returncode == 0, errores
    estado = cliente.get(f"/api/v1/sivei/computo/{pid}").get_json()
    assert estado["estado"] == "computada" and estado["cuorum"] == [1, 3]
    assert {s.strip().splitlines()[-1] for s, _ in salidas} == {f"Resultado = {estado['hash_resultado']}"}
    # El ausente llega tarde: el cuórum ya estaba completo sin él (salida 3).
    tarde = subprocess.run(
        orden_custodio(url, pid, personas[1], rutas[1], "descifrar", espera="30"),
        env=entorno_custodio(personas[1]),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert tarde.returncode == 3 and "Error [fuera_de_cuorum]" in tarde.stderr, tarde.stderr

    # Resultados = lo marcado en claro; participación por entidad.
    datos = cliente.get(f"/api/v1/sivei/resultados/{pid}").get_json()
    assert datos["estado"] == "computada"
    assert {x["indice"]: [o["votos"] for o in x["opciones"]] for x in datos["contiendas"]} == esperados
    assert datos["participacion"]["votos"] == 4 and datos["participacion"]["electores"] == 5
    # Acta de cómputo por entidad (JSON y página) con los hashes.
    entidad = e.electores[0].entidad
    acta = cliente.get(f"/api/v1/sivei/computo/{pid}/acta/{entidad}").get_json()
    assert acta["h_t"] == estado["h_t"] and acta["hash_resultado"] == estado["hash_resultado"]
    assert acta["contiendas"] and all(entidad in c["estilos"] for c in acta["contiendas"])
    pagina = cliente.get(f"/sivei/computo/{pid}/acta/{entidad}").get_data(as_text=True)
    assert estado["h_t"] in pagina and acta["cabeza_tablero"] in pagina
    html = cliente.get(f"/sivei/resultados/{pid}").get_data(as_text=True)
    assert "<svg" in html and "style=" not in html and "<script" not in html

    # El registro completo exportado: vmre verificar sale con 0.
    registro = tmp_path / "registro"
    registro.mkdir()
    texto = cliente.get(f"/api/v1/sivei/tablero/{pid}/tablero.jsonl").get_data(as_text=True)
    (registro / "tablero.jsonl").write_text(texto, encoding="utf-8", newline="")
    r = subprocess.run(
        [sys.executable, "-m", "vmre_crypto", "verificar", str(registro)], capture_output=True, text=True, timeout=600
    )
    assert r.returncode == 0, r.stdout + r.stderr
