"""``vmre simulacro`` (§22): un simulacro pequeño de principio a fin como proceso de verdad, y
los datos de los participantes (válidos, distintos, reproducibles, en los 15 países y las 10
entidades del informe)."""

from __future__ import annotations

import json
import re
import subprocess
import threading
import urllib.request
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from herramientas import vmre_instalada

from servidor_referencia.clientes.simulacro_datos import (
    ENTIDADES_SIMULACRO,
    PAISES_SIMULACRO,
    elegir_votantes,
    generar_participantes,
    seleccion_de,
)
from servidor_referencia.dominio.validacion_srve import validar_solicitud
from servidor_referencia.errores import Codigo, ErrorServidor
from vmre_crypto import verificar_registro

HOY = date(2026, 3, 23)


class _Pausa:
    """Lee la salida de errores del simulacro en un hilo y guarda los datos que imprime la pausa (22.18)."""

    def __init__(self, proceso: subprocess.Popen[str]) -> None:
        self.lineas: list[str] = []
        self.lista = threading.Event()
        self.hilo = threading.Thread(target=self._leer, args=(proceso,), daemon=True)
        self.hilo.start()

    def _leer(self, proceso: subprocess.Popen[str]) -> None:
        assert proceso.stderr is not None
        for linea in proceso.stderr:
            self.lineas.append(linea)
            if "Pulse Intro" in linea:
                self.lista.set()
        self.lista.set()

    def dato(self, patron: str) -> str:
        for linea in self.lineas:
            if m := re.search(patron, linea):
                return m.group(1)
        raise AssertionError(f"la pausa no imprimió {patron!r}:\n" + "".join(self.lineas[-40:]))


@pytest.mark.lento
def test_simulacro_pequeno_de_principio_a_fin(tmp_path: Path, url_bd: str, navegador: Any) -> None:
    """El simulacro completo con 2 votantes en la cabina web (22.20) y, en la pausa (22.18), una
    persona que vota en Chromium con los datos que imprime; su boleta se cuenta (22.19)."""
    from servidor_referencia.clientes.simulacro_datos import Participante
    from servidor_referencia.clientes.simulacro_navegador import CabinaEnNavegador

    salida = tmp_path / "salida"
    proceso = subprocess.Popen(
        [vmre_instalada(), "simulacro", "--participantes", "12", "--votos", "8", "--desafios", "2", "--semilla", "5",
         "--custodios", "3", "--umbral", "2", "--cuorum-azar", "--navegador", "2", "--pausa",
         "--salida", str(salida), "--db", url_bd],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=tmp_path,
    )  # fmt: skip
    try:
        pausa = _Pausa(proceso)
        assert pausa.lista.wait(600) and proceso.poll() is None, "".join(pausa.lineas[-40:])
        url = pausa.dato(r"Abra (http://\S+)/elector/acceso")
        numero_proceso = int(pausa.dato(r"siguiente=/sivei/votar/(\d+)"))
        entidad = pausa.dato(r"entidad (\d\d)")
        persona = Participante(
            numero=int(pausa.dato(r"Participante (\d+)")),
            solicitud={"correo": pausa.dato(r"Correo:\s+(\S+)"), "entidad": entidad},
            contrasena=pausa.dato(r"Contraseña:\s+(\S+)"),
            totp_secreto=pausa.dato(r"Secreto TOTP [^:]*: (\S+)"),
            semilla_eleccion=0,
            credencial=pausa.dato(r"Credencial:\s+(\S+)"),
        )
        codigo_totp = pausa.dato(r"Código TOTP vigente: (\d{6})")
        contexto = json.loads(urllib.request.urlopen(f"{url}/api/v1/sivei/procesos/{numero_proceso}").read())
        manifiesto = json.loads(contexto["contexto"])["configuracion"]["manifiesto"]
        estilo = next(e for e in manifiesto["estilos"] if e["identificador"] == entidad)
        marcas = {c: (2,) for c in estilo["contiendas"]}  # la segunda opción de cada contienda
        # El Chromium de la sesión de pruebas (Playwright síncrono admite uno por hilo).
        recibo = CabinaEnNavegador(navegador, url, numero_proceso).votar(persona, codigo_totp, marcas, desafiar=True)
        assert re.fullmatch(r"[0-9A-F]{64}", recibo)
        publico = json.loads(
            urllib.request.urlopen(f"{url}/api/v1/sivei/tablero/{numero_proceso}/codigo/{recibo}").read()
        )
        assert publico["estado"] == "depositada"
        assert proceso.stdin is not None and proceso.stdout is not None
        proceso.stdin.write("\n")
        proceso.stdin.flush()
        resumen = proceso.stdout.read()
        assert proceso.wait(600) == 0, resumen + "".join(pausa.lineas[-40:])
    finally:
        if proceso.poll() is None:
            proceso.kill()
    assert "═══ Resumen del simulacro ═══" in resumen
    assert "Total: 9 votos de 12 electores (75.0 %)" in resumen
    assert "Boletas desafiadas (abiertas, no contadas): 2" in resumen
    assert "En la cabina web (Chromium): 2 votos, 2 de ellos tras desafiar una boleta en el navegador" in resumen
    assert f"Boleta depositada a mano durante la pausa: 1 (entidad {entidad})" in resumen
    assert "el cómputo coincide opción por opción" in resumen
    assert re.search(r"Tasa de aceptación: 8 boletas en [\d.]+ s = [\d.]+ boletas/s", resumen)
    assert re.search(r"Memoria máxima del servidor \(VmHWM\): [\d.]+ MiB", resumen)
    for fase in ("Inscripción", "Ceremonia de llaves (3 custodios, umbral 2",
                 "Votación (8 votos, 2 desafíos; 2 en la cabina web)", "Pausa: voto a mano en el navegador",
                 "Descifrado por el cuórum", "Verificación (vmre verificar)"):  # fmt: skip
        assert fase in resumen
    assert "Veredicto del verificador: ACEPTADO" in resumen, resumen
    # El registro exportado está en la carpeta y otro verificador (la biblioteca) también lo acepta.
    assert (salida / "tablero.jsonl").read_bytes() == (salida / "registro" / "tablero.jsonl").read_bytes()
    assert "REGISTRO VÁLIDO" in (salida / "verificacion.txt").read_text(encoding="utf-8")
    informe = verificar_registro(salida / "registro", procesos=1)
    assert informe.fallidas() == [], informe.fallidas()
    # Un archivo de estado por custodio (cada uno con su frase).
    assert sorted(p.name for p in salida.glob("custodio-*.estado")) == [f"custodio-{i}.estado" for i in (1, 2, 3)]


def test_opciones_imposibles_se_rechazan_en_espanol(tmp_path: Path) -> None:
    r = subprocess.run(
        [vmre_instalada(), "simulacro", "--participantes", "5", "--votos", "6", "--salida", str(tmp_path / "s")],
        capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL,
    )  # fmt: skip
    assert r.returncode == 2 and "no puede haber más votos que participantes" in r.stderr
    r = subprocess.run(
        [vmre_instalada(), "simulacro", "--custodios", "3", "--umbral", "4", "--salida", str(tmp_path / "s")],
        capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL,
    )  # fmt: skip
    assert r.returncode == 2 and "el umbral no puede pasar del número de custodios" in r.stderr
    assert not (tmp_path / "s").exists()


def test_participantes_validos_distintos_y_reproducibles() -> None:
    """(22.1)–(22.2): cada solicitud pasa (15.7)–(15.20); clave, correo y teléfono no se repiten."""
    ps = generar_participantes(1009, 2020, HOY)
    normalizadas = [validar_solicitud(p.solicitud, HOY) for p in ps]
    for campo in ("clave_elector", "correo", "telefono"):
        assert len({getattr(d, campo) for d in normalizadas}) == 1009, campo
    assert {d.pais for d in normalizadas} == set(PAISES_SIMULACRO) and len(PAISES_SIMULACRO) == 15
    assert {d.entidad for d in normalizadas} == set(ENTIDADES_SIMULACRO) and len(ENTIDADES_SIMULACRO) == 10
    assert {d.modalidad for d in normalizadas} == {"electronica"}
    # El teléfono lleva el prefijo de su país.
    for p, d in zip(ps, normalizadas, strict=True):
        assert d.telefono.startswith("+" + PAISES_SIMULACRO[d.pais][1]), (p.solicitud, d.telefono)
        assert d.telefono.endswith(p.ultimos_digitos)
    # Misma semilla, mismos datos; otra semilla, otros.
    assert [p.solicitud for p in generar_participantes(50, 2020, HOY)] == [p.solicitud for p in ps[:50]]
    assert [p.solicitud for p in generar_participantes(50, 2021, HOY)] != [p.solicitud for p in ps[:50]]
    # Al menos 15 participantes: todos los países y entidades aparecen aunque la muestra sea pequeña.
    pocos = generar_participantes(15, 1, HOY)
    assert {p.pais for p in pocos} == set(PAISES_SIMULACRO)


def test_una_alteracion_de_la_solicitud_se_rechaza_con_su_codigo() -> None:
    """Los datos son válidos por construcción, no por suerte: alterar un campo da el rechazo preciso."""
    base = generar_participantes(1, 9, HOY)[0].solicitud
    casos = {
        "clave_elector": (
            base["clave_elector"][:6] + "010101" + base["clave_elector"][12:],
            Codigo.CLAVE_ELECTOR_FECHA,
        ),
        "telefono": ("+0 123", Codigo.TELEFONO_INVALIDO),
        "pais": ("MX", Codigo.PAIS_INVALIDO),
        "correo": ("sin-arroba.example", Codigo.CORREO_INVALIDO),
    }
    for campo, (valor, codigo) in casos.items():
        with pytest.raises(ErrorServidor) as e:
            validar_solicitud({**base, campo: valor}, HOY)
        assert e.value.codigo is codigo, campo


def test_votantes_desafios_y_selecciones_reproducibles() -> None:
    """(22.3): la muestra de votantes, los desafiantes y cada selección dependen solo de la semilla."""
    ps = generar_participantes(100, 3, HOY)
    votantes, desafiantes = elegir_votantes(ps, 68, 4, 3)
    assert len(votantes) == 68 and len({p.numero for p in votantes}) == 68
    assert len(desafiantes) == 4 and desafiantes <= {p.numero for p in votantes}
    otra = elegir_votantes(generar_participantes(100, 3, HOY), 68, 4, 3)
    assert [p.numero for p in otra[0]] == [p.numero for p in votantes] and otra[1] == desafiantes
    contiendas: list[dict[str, object]] = [
        {"indice": 4, "opciones": [{"indice": i} for i in range(1, 18)]},
        {"indice": 5, "opciones": [{"indice": i} for i in range(1, 18)]},
    ]
    marcas = seleccion_de(ps[0], contiendas)
    assert set(marcas) == {4, 5} and all(len(v) == 1 and 1 <= v[0] <= 17 for v in marcas.values())
    assert seleccion_de(ps[0], contiendas) == marcas


def _resultados(conteos: dict[int, list[int]], estilos: dict[int, list[str]]) -> dict[str, object]:
    return {
        "contiendas": [
            {"indice": c, "estilos": estilos[c], "opciones": [{"indice": i, "votos": v} for i, v in enumerate(vs, 1)]}
            for c, vs in conteos.items()
        ]
    }


def test_boleta_de_la_pausa_se_deduce_solo_si_cabe_en_una_boleta_de_su_entidad() -> None:
    """(22.19) El cómputo con --pausa: lo esperado más exactamente una boleta de la entidad de la persona."""
    from collections import Counter

    from servidor_referencia.clientes.simulacro_infra import ErrorSimulacro
    from servidor_referencia.clientes.simulacro_manual import boleta_manual

    esperados = {1: Counter({1: 3, 2: 1}), 2: Counter({1: 2})}
    estilos = {1: ["08"], 2: ["14"]}
    assert boleta_manual(_resultados({1: [3, 2, 0], 2: [2, 0]}, estilos), esperados, "08") == {1: (2,)}
    assert boleta_manual(_resultados({1: [3, 1, 0], 2: [2, 0]}, estilos), esperados, "08") == {}
    casos = [
        ({1: [3, 1, 0], 2: [2, 1]}, "fuera de la boleta de la entidad 08"),  # voto de más en otra entidad
        ({1: [5, 1, 0], 2: [2, 0]}, "más una sola boleta"),  # dos votos de más en una opción
        ({1: [2, 1, 0], 2: [2, 0]}, "más una sola boleta"),  # falta un voto esperado
    ]
    for conteos, mensaje in casos:
        with pytest.raises(ErrorSimulacro, match=mensaje):
            boleta_manual(_resultados(conteos, estilos), esperados, "08")


def test_la_pausa_elige_a_quien_no_voto() -> None:
    from servidor_referencia.clientes.simulacro_infra import ErrorSimulacro
    from servidor_referencia.clientes.simulacro_manual import elegir_manual

    participantes = generar_participantes(6, semilla=3, hoy=HOY)
    votantes, _ = elegir_votantes(participantes, 4, 0, 3)
    persona = elegir_manual(participantes, votantes)
    assert persona.numero not in {p.numero for p in votantes}
    with pytest.raises(ErrorSimulacro, match="--pausa"):
        elegir_manual(participantes, participantes)
