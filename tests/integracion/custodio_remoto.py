"""Un custodio en su propio proceso: solo recibe y envía texto JSON canónico.

``correr_custodio`` es el cuerpo del proceso.  Lee de ``entrada`` pares ``(tipo, [textos])``
y escribe en ``salida`` ternas ``(indice, tipo, [textos])``; cada texto es un documento de
``vmre_crypto.serializar``, salvo el cuórum anunciado U, que viaja junto al escrutinio como
lista JSON canónica de enteros.  Sus secretos (coeficientes, P(ℓ), nonces u_i) nunca salen del
proceso.  Cualquier excepción se informa como ``("error", [descripción])`` para que la prueba
falle con un mensaje útil en vez de esperar hasta el tiempo límite.
"""

from __future__ import annotations

import json
import traceback
from multiprocessing.queues import Queue
from typing import Any

from vmre_crypto import (
    GRUPO_ESTANDAR,
    ComparticionCifrada,
    CompromisosCustodio,
    ConfiguracionEleccion,
    ContextoEleccion,
    Custodio,
    DescifradorCustodio,
    EscrutinioCifrado,
    RegistroLlaves,
    RetosDescifrado,
    desde_json,
    deserializar,
    serializar,
)

ESPERA = 120


def correr_custodio(indice: int, entrada: Queue[Any], salida: Queue[Any]) -> None:
    try:
        _correr(indice, entrada, salida)
    except BaseException as exc:
        salida.put((indice, "error", [f"{type(exc).__name__}: {exc}\n{traceback.format_exc()}"]))


def _correr(indice: int, entrada: Queue[Any], salida: Queue[Any]) -> None:
    grupo = GRUPO_ESTANDAR

    def recibir(esperado: str) -> list[str]:
        tipo, textos = entrada.get(timeout=ESPERA)
        if tipo != esperado:
            raise RuntimeError(f"se esperaba «{esperado}» y llegó «{tipo}»")
        assert all(isinstance(t, str) for t in textos)
        return list(textos)

    def enviar(tipo: str, mensajes: Any) -> None:
        salida.put((indice, tipo, [serializar(m) for m in mensajes]))

    # Paso 0: configuración pública (manifiesto incluido) como documento JSON.
    (texto,) = recibir("configuracion")
    configuracion = deserializar(texto, ConfiguracionEleccion, None)
    custodio = Custodio.nuevo(configuracion, indice, f"Custodio remoto {indice}")

    # Paso 1: compromisos y pruebas de Schnorr; verificación de los de los demás.
    enviar("compromisos", [custodio.publicar_compromisos()])
    publicados = [deserializar(t, CompromisosCustodio, grupo) for t in recibir("compromisos_publicados")]
    quejas = custodio.recibir_compromisos(publicados)
    if quejas:
        enviar("quejas", quejas)
        return

    # Pasos 2 y 3: comparticiones cifradas de ida y de vuelta.
    enviar("comparticiones", custodio.comparticiones())
    recibidas = [deserializar(t, ComparticionCifrada, grupo) for t in recibir("comparticiones")]
    resultado = custodio.recibir_comparticiones(recibidas)
    if isinstance(resultado, tuple):
        enviar("quejas", resultado)
        return
    enviar("confirmacion_comparticiones", [resultado])

    # Paso 4: el custodio recalcula el registro y confirma H_R.
    (texto,) = recibir("registro")
    registro = deserializar(texto, RegistroLlaves, grupo)
    enviar("confirmacion_registro", [custodio.confirmar_registro(registro)])

    # Descifrado: tantas rondas como pida el coordinador, hasta «fin».
    contexto = ContextoEleccion.crear(configuracion, registro.llave_conjunta)
    descifrador = DescifradorCustodio(contexto, custodio.llave())
    while True:
        tipo, textos = entrada.get(timeout=ESPERA)
        if tipo == "fin":
            return
        if tipo == "escrutinio":
            # [escrutinio, cuórum anunciado U]: el custodio pondera su compartición con su w_i en U.
            texto_escrutinio, texto_cuorum = textos
            escrutinio = deserializar(texto_escrutinio, EscrutinioCifrado, grupo)
            cuorum = desde_json(tuple[int, ...], json.loads(texto_cuorum), None)
            enviar("descifrado_parcial", [descifrador.descifrado_parcial(escrutinio, cuorum)])
        elif tipo == "retos":
            enviar("respuesta", [descifrador.responder(deserializar(textos[0], RetosDescifrado, grupo))])
        else:
            raise RuntimeError(f"mensaje inesperado «{tipo}»")
