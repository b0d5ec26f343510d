"""A custodian restored from its saved secret state (EstadoCustodio) can finish the ceremony."""

from __future__ import annotations

from vmre_crypto import (
    GRUPO_ESTANDAR,
    ConfiguracionEleccion,
    CoordinadorCeremonia,
    Custodio,
    EstadoCustodio,
    deserializar,
    serializar,
)
from vmre_crypto.ejemplo import manifiesto_gubernatura


def test_custodian_restored_from_saved_state_finishes_the_ceremony() -> None:
    configuracion = ConfiguracionEleccion(3, 2, "2027-06-06", "restauración", manifiesto_gubernatura(4))
    custodios = [Custodio.nuevo(configuracion, i, f"C{i}") for i in (1, 2, 3)]
    coordinador = CoordinadorCeremonia(configuracion)
    for custodio in custodios:
        coordinador.recibir_compromisos(custodio.publicar_compromisos())

    # Custodian 2's process restarts: only its serialized secret state survives.
    guardado = serializar(custodios[1].estado)
    restaurado = Custodio(configuracion, deserializar(guardado, EstadoCustodio, GRUPO_ESTANDAR))
    secreto = format(int(restaurado.estado.coeficientes[0]), "X")
    assert secreto not in repr(restaurado.estado) and str(int(restaurado.estado.coeficientes[0])) not in repr(
        restaurado.estado
    )
    custodios[1] = restaurado

    publicados = coordinador.compromisos()
    for custodio in custodios:
        assert custodio.recibir_compromisos(publicados) == ()
    for custodio in custodios:
        for mensaje in custodio.comparticiones():
            coordinador.recibir_comparticion(mensaje)
    for custodio in custodios:
        coordinador.recibir_resultado_comparticiones(
            custodio.recibir_comparticiones(coordinador.comparticiones_para(custodio.indice))
        )
    registro = coordinador.registro()
    for custodio in custodios:
        coordinador.recibir_confirmacion_registro(custodio.confirmar_registro(registro))
    registro, _ = coordinador.finalizar()
    assert restaurado.llave().custodio == 2
    assert GRUPO_ESTANDAR.g_a_la(restaurado.llave().comparticion) == registro.llave_verificacion(2)


def test_a_foreign_message_under_the_own_index_is_a_complaint() -> None:
    configuracion = ConfiguracionEleccion(2, 2, "2027-06-06", "suplantación", manifiesto_gubernatura(4))
    a = Custodio.nuevo(configuracion, 1, "A")
    impostor = Custodio.nuevo(configuracion, 1, "A")
    b = Custodio.nuevo(configuracion, 2, "B")
    quejas = a.recibir_compromisos([impostor.publicar_compromisos(), b.publicar_compromisos()])
    assert [(q.acusador, q.acusado, q.motivo) for q in quejas] == [(1, 1, "registro_llaves_discrepante")]
