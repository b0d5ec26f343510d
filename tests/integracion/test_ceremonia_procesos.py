"""Ceremonia y descifrado con cada custodio en su propio proceso (contexto «spawn»).

Entre procesos solo viaja texto JSON canónico (``serializar``/``deserializar``).  El
coordinador es el proceso de la prueba: retransmite, construye el registro, lo publica
cuando los 5 custodios confirman H_R y después combina un descifrado con el cuórum que
anuncia a 3 de ellos.  Los secretos de cada custodio nunca salen de su proceso.
"""

from __future__ import annotations

import multiprocessing
import queue
import time
from collections.abc import Callable, Iterator
from typing import Any

import custodio_remoto
import pytest

from vmre_crypto import (
    GRUPO_ESTANDAR,
    CombinadorDescifrado,
    ComparticionCifrada,
    CompromisosCustodio,
    ConfiguracionEleccion,
    ConfirmacionComparticiones,
    ConfirmacionRegistro,
    CoordinadorCeremonia,
    DescifradoParcial,
    ErrorCeremonia,
    Motivo,
    Queja,
    RegistroLlaves,
    RespuestaDescifrado,
    a_json,
    acumular,
    cifrar_boleta,
    construir_registro,
    deserializar,
    serializar,
    texto_canonico,
    verificar_boleta,
    verificar_resultado,
)

G = GRUPO_ESTANDAR
ESPERA = 120
MARCAS = [
    ("CHIH", {1: (7,)}),
    ("JAL", {2: (3,), 4: (2, 4)}),
    ("JAL", {2: (3,), 4: (4,)}),
    ("ZAC", {3: (10,)}),
    ("CHIH", {1: (7,)}),
]


class Red:
    """Los buzones del coordinador: uno de entrada por custodio y uno de salida compartido."""

    def __init__(self, n: int) -> None:
        ctx = multiprocessing.get_context("spawn")
        self.salida = ctx.Queue()
        self.entradas = {i: ctx.Queue() for i in range(1, n + 1)}
        self.procesos = {
            i: ctx.Process(
                target=custodio_remoto.correr_custodio,
                args=(i, self.entradas[i], self.salida),
                name=f"custodio-{i}",
                daemon=True,
            )
            for i in self.entradas
        }
        for proceso in self.procesos.values():
            proceso.start()

    def enviar(self, custodio: int, tipo: str, textos: list[str]) -> None:
        assert all(isinstance(t, str) for t in textos), "entre procesos solo viaja texto"
        self.entradas[custodio].put((tipo, textos))

    def recoger(self, tipo: str, de: list[int], *, o_bien: str = "") -> dict[int, list[str]]:
        """Espera un mensaje ``tipo`` (u ``o_bien``) de cada custodio de ``de``; falla ante cualquier otro."""
        return {i: textos for i, (_, textos) in self.recoger_con_tipo(tipo, de, o_bien=o_bien).items()}

    def recoger_con_tipo(
        self, tipo: str, de: list[int], *, o_bien: str = ""
    ) -> dict[int, tuple[str, list[str]]]:
        recibidos: dict[int, tuple[str, list[str]]] = {}
        while len(recibidos) < len(de):
            try:
                indice, recibido, textos = self.salida.get(timeout=ESPERA)
            except queue.Empty:  # pragma: no cover - solo si un proceso se cuelga
                pytest.fail(f"tiempo agotado esperando «{tipo}» de {sorted(set(de) - set(recibidos))}")
            if recibido not in (tipo, o_bien):
                pytest.fail(f"el custodio {indice} envió «{recibido}» en vez de «{tipo}»: {textos}")
            assert indice in de and indice not in recibidos
            recibidos[indice] = (recibido, textos)
        return recibidos

    def cerrar(self) -> None:
        for indice, proceso in self.procesos.items():
            if proceso.is_alive():
                self.entradas[indice].put(("fin", []))
        # Se vacía el buzón de salida mientras terminan: un proceso no sale con datos sin leer en su tubo.
        limite = time.monotonic() + 30
        while any(p.is_alive() for p in self.procesos.values()) and time.monotonic() < limite:
            try:
                self.salida.get(timeout=0.1)
            except queue.Empty:
                pass
        for proceso in self.procesos.values():
            if proceso.is_alive():  # pragma: no cover - solo si un proceso se cuelga
                proceso.terminate()
            proceso.join(timeout=5)


@pytest.fixture
def red(configuracion: ConfiguracionEleccion) -> Iterator[Red]:
    red = Red(configuracion.custodios)
    try:
        yield red
    finally:
        red.cerrar()
    assert all(p.exitcode == 0 for p in red.procesos.values())


def _uno(textos: list[str]) -> str:
    assert len(textos) == 1
    return textos[0]


def _ceremonia(
    red: Red,
    configuracion: ConfiguracionEleccion,
    alterar: Callable[[ComparticionCifrada, str], str] | None = None,
) -> tuple[RegistroLlaves, Any]:
    """El coordinador; ``alterar`` simula un canal que modifica el texto de las comparticiones."""
    n = configuracion.custodios
    todos = list(range(1, n + 1))
    coordinador = CoordinadorCeremonia(configuracion)
    texto_configuracion = serializar(configuracion)
    for i in todos:
        red.enviar(i, "configuracion", [texto_configuracion])

    # Paso 1: compromisos.
    for i, textos in sorted(red.recoger("compromisos", todos).items()):
        mensaje = deserializar(_uno(textos), CompromisosCustodio, G)
        assert mensaje.custodio == i
        coordinador.recibir_compromisos(mensaje)
    publicados = [serializar(m) for m in coordinador.compromisos()]
    for i in todos:
        red.enviar(i, "compromisos_publicados", publicados)

    # Pasos 2 y 3: comparticiones y confirmaciones.
    for i, textos in red.recoger("comparticiones", todos).items():
        assert len(textos) == n - 1
        for texto in textos:
            mensaje = deserializar(texto, ComparticionCifrada, G)
            assert mensaje.emisor == i
            coordinador.recibir_comparticion(mensaje)
    for i in todos:
        textos = [
            alterar(m, serializar(m)) if alterar else serializar(m)
            for m in coordinador.comparticiones_para(i)
        ]
        red.enviar(i, "comparticiones", textos)
    resultados = red.recoger_con_tipo("confirmacion_comparticiones", todos, o_bien="quejas")
    for i, (tipo, textos) in sorted(resultados.items()):
        if tipo == "quejas":
            coordinador.recibir_resultado_comparticiones(tuple(deserializar(t, Queja, G) for t in textos))
            continue
        confirmacion = deserializar(_uno(textos), ConfirmacionComparticiones, G)
        assert confirmacion == ConfirmacionComparticiones(i, tuple(e for e in todos if e != i))
        coordinador.recibir_resultado_comparticiones(confirmacion)

    # Paso 4: registro, confirmado por los n custodios.
    registro = coordinador.registro()
    texto_registro = serializar(registro)
    for i in todos:
        red.enviar(i, "registro", [texto_registro])
    for i, textos in red.recoger("confirmacion_registro", todos).items():
        confirmacion = deserializar(_uno(textos), ConfirmacionRegistro, G)
        assert confirmacion == ConfirmacionRegistro(i, registro.hash_registro)
        coordinador.recibir_confirmacion_registro(confirmacion)
    return coordinador.finalizar()


def test_ceremonia_y_descifrado_entre_procesos(
    red: Red, configuracion: ConfiguracionEleccion, contar_marcas
) -> None:
    registro, contexto = _ceremonia(red, configuracion)

    # El registro publicado es válido: cualquiera lo recalcula de los compromisos publicados.
    assert registro == construir_registro(configuracion, registro.compromisos)
    assert deserializar(serializar(registro), RegistroLlaves, G) == registro
    assert contexto.llave == registro.llave_conjunta and contexto.h_e == registro.h_e
    assert {m.nombre for m in registro.compromisos} == {f"Custodio remoto {i}" for i in range(1, 6)}

    # Votación y escrutinio en el proceso del coordinador.
    boletas = []
    for estilo, marcas in MARCAS:
        boleta = cifrar_boleta(contexto, estilo, marcas).boleta
        verificar_boleta(contexto, boleta, exigir_credencial=False)
        boletas.append(boleta)
    escrutinio = acumular(contexto, boletas)

    # Descifrado con el cuórum anunciado U = {2, 4, 5}; el 1 y el 3 están ausentes.  U viaja con el
    # escrutinio (en otro orden: el custodio lo normaliza) y cada custodio pondera su parte con su w_i.
    presentes = [2, 4, 5]
    combinador = CombinadorDescifrado(contexto, registro, escrutinio, presentes)
    texto_escrutinio = serializar(escrutinio)
    texto_cuorum = texto_canonico(a_json(tuple(reversed(presentes))))
    assert texto_cuorum == "[5,4,2]"
    for i in presentes:
        red.enviar(i, "escrutinio", [texto_escrutinio, texto_cuorum])
    for i, textos in red.recoger("descifrado_parcial", presentes).items():
        parcial = deserializar(_uno(textos), DescifradoParcial, G)
        assert (parcial.custodio, parcial.cuorum) == (i, tuple(presentes))
        combinador.recibir_parcial(parcial)
    retos = combinador.retos()
    assert retos.cuorum == tuple(presentes)
    texto_retos = serializar(retos)
    for i in presentes:
        red.enviar(i, "retos", [texto_retos])
    for textos in red.recoger("respuesta", presentes).values():
        combinador.recibir_respuesta(deserializar(_uno(textos), RespuestaDescifrado, G))
    resultado = combinador.resultado()

    verificar_resultado(contexto, escrutinio, resultado)
    assert resultado.conteos() == contar_marcas([m for _, m in MARCAS])
    assert resultado.conteos()[1][7] == 2 and resultado.conteos()[4][4] == 2


def test_comparticion_alterada_en_transito_detiene_la_ceremonia(
    red: Red, configuracion: ConfiguracionEleccion
) -> None:
    """El canal cambia un dígito de C1 de la compartición 2 → 4: el custodio 4 se queja del 2 por JSON."""

    def alterar(mensaje: ComparticionCifrada, texto: str) -> str:
        if (mensaje.emisor, mensaje.receptor) != (2, 4):
            return texto
        c1 = mensaje.c1.hex().upper()
        otro = c1[:10] + ("0" if c1[10] != "0" else "1") + c1[11:]
        alterado = texto.replace(f'"c1":"{c1}"', f'"c1":"{otro}"')
        assert alterado != texto
        return alterado

    with pytest.raises(ErrorCeremonia) as e:
        _ceremonia(red, configuracion, alterar)
    assert e.value.motivo is Motivo.CEREMONIA_DETENIDA
    assert e.value.detalles == {"acusado": 2, "acusador": 4, "motivo_queja": "comparticion_mac_invalida"}
