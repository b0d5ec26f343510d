"""Escrutinio homomórfico (§9.1) y descifrado por umbral con prueba conjunta (§9.2–9.5)."""

from __future__ import annotations

import dataclasses
import itertools
import json
from typing import Any

import pytest

from vmre_crypto import (
    CombinadorDescifrado,
    DescifradoParcial,
    DescifradorCustodio,
    ErrorDecodificacion,
    ErrorDescifrado,
    ErrorVerificacion,
    ErrorVMRE,
    EscrutinioCifrado,
    Motivo,
    RespuestaDescifrado,
    ResultadoDescifrado,
    RetosDescifrado,
    acumular,
    acumular_verificadas,
    cifrar_boleta,
    descifrar_en_proceso,
    deserializar,
    serializar,
    verificar_resultado,
)
from vmre_crypto.primitivas.grupo import GRUPO_ESTANDAR
from vmre_crypto.primitivas.pruebas_zk.descifrado import verificar_respuesta_parcial
from vmre_crypto.primitivas.shamir import pesos_lagrange

G = GRUPO_ESTANDAR
P, Q = int(G.p), int(G.q)
CUSTODIOS = range(1, 6)


@pytest.fixture(scope="module")
def pequeno(escrutinio: EscrutinioCifrado) -> EscrutinioCifrado:
    """Solo la contienda 4 (4 opciones, 3 boletas): suficiente para los protocolos manuales."""
    assert escrutinio.contiendas[3].indice == 4
    return EscrutinioCifrado((escrutinio.contiendas[3],))


@pytest.fixture(scope="module")
def resultado_pequeno(contexto, registro, llaves, pequeno) -> ResultadoDescifrado:
    return descifrar_en_proceso(contexto, registro, [llaves[i] for i in (2, 3, 5)], pequeno)


@pytest.fixture(scope="module")
def secreto(ceremonia) -> int:
    """s = Σ a_i0: solo una prueba puede calcularlo, leyendo los estados de los custodios."""
    return sum(int(c.estado.coeficientes[0]) for c in ceremonia.custodios) % Q


def _protocolo(
    contexto,
    registro,
    llaves,
    escrutinio: EscrutinioCifrado,
    presentes: tuple[int, ...],
    parcial: dict[int, Any] | None = None,
    respuesta: dict[int, Any] | None = None,
) -> CombinadorDescifrado:
    """Las dos rondas de mensajes con el cuórum anunciado U = ``presentes``.

    ``parcial``/``respuesta`` alteran el mensaje del custodio indicado.
    """
    combinador = CombinadorDescifrado(contexto, registro, escrutinio, presentes)
    descifradores = {i: DescifradorCustodio(contexto, llaves[i]) for i in presentes}
    for i, d in descifradores.items():
        mensaje = d.descifrado_parcial(escrutinio, presentes)
        combinador.recibir_parcial((parcial or {}).get(i, lambda m: m)(mensaje))
    retos = combinador.retos()
    assert retos.cuorum == presentes
    for i in retos.cuorum:
        mensaje = descifradores[i].responder(retos)
        combinador.recibir_respuesta((respuesta or {}).get(i, lambda m: m)(mensaje))
    return combinador


def _con_parte(mensaje: DescifradoParcial, posicion: int, **cambios: Any) -> DescifradoParcial:
    partes = list(mensaje.partes)
    partes[posicion] = dataclasses.replace(partes[posicion], **cambios)
    return dataclasses.replace(mensaje, partes=tuple(partes))


def _con_respuesta(mensaje: RespuestaDescifrado, posicion: int) -> RespuestaDescifrado:
    respuestas = list(mensaje.respuestas)
    respuestas[posicion] = respuestas[posicion] + 1
    return dataclasses.replace(mensaje, respuestas=tuple(respuestas))


def _con_opcion(resultado: ResultadoDescifrado, posicion: int, **cambios: Any) -> ResultadoDescifrado:
    opciones = list(resultado.opciones)
    opciones[posicion] = dataclasses.replace(opciones[posicion], **cambios)
    return dataclasses.replace(resultado, opciones=tuple(opciones))


# -- escrutinio ----------------------------------------------------------------------------------------
def test_escrutinio_es_el_producto_de_los_cifrados(escrutinio, boletas_conocidas) -> None:
    assert [c.indice for c in escrutinio.contiendas] == [1, 2, 3, 4]
    assert [c.boletas for c in escrutinio.contiendas] == [2, 3, 1, 3]
    for contienda in escrutinio.contiendas:
        for posicion, total in enumerate(contienda.cifrados):
            alfa, beta = 1, 1
            for conocida in boletas_conocidas:
                for c in conocida.boleta.contiendas:
                    if c.indice == contienda.indice:
                        alfa = alfa * int(c.selecciones[posicion].cifrado.alfa) % P
                        beta = beta * int(c.selecciones[posicion].cifrado.beta) % P
            assert (int(total.alfa), int(total.beta)) == (alfa, beta)
    assert [(c, o) for c, o, _ in escrutinio.cifrados()][:3] == [(1, 1), (1, 2), (1, 3)]
    assert len(escrutinio.cifrados()) == 10 + 9 + 10 + 4


def test_escrutinio_vacio(contexto) -> None:
    vacio = acumular(contexto, [])
    assert all(c.boletas == 0 for c in vacio.contiendas)
    assert all((int(x.alfa), int(x.beta)) == (1, 1) for _, _, x in vacio.cifrados())


def test_hash_del_escrutinio_liga_los_cifrados(contexto, escrutinio, boletas_conocidas) -> None:
    h = escrutinio.hash(contexto)
    assert h == acumular(contexto, [b.boleta for b in reversed(boletas_conocidas)]).hash(contexto)
    assert h != acumular(contexto, [b.boleta for b in boletas_conocidas[1:]]).hash(contexto)


def test_acumular_verificadas_da_el_mismo_escrutinio_desde_el_json(contexto, escrutinio, boletas_conocidas) -> None:
    """(21.2) El atajo del servidor sobre el JSON guardado coincide con ``acumular`` (mismo H_T)."""
    textos = [serializar(b.boleta) for b in boletas_conocidas]
    rapido = acumular_verificadas(contexto, textos)
    assert rapido == escrutinio
    assert rapido.hash(contexto) == escrutinio.hash(contexto)
    assert acumular_verificadas(contexto, [t.encode() for t in textos[1:]]) == acumular(
        contexto, [b.boleta for b in boletas_conocidas[1:]]
    )


def test_acumular_verificadas_rechaza_lo_que_no_es_una_boleta_del_manifiesto(contexto, boletas_conocidas) -> None:
    documento = json.loads(serializar(boletas_conocidas[0].boleta))
    documento["contiendas"][0]["selecciones"].pop()
    with pytest.raises(ErrorDecodificacion) as e:
        acumular_verificadas(contexto, [json.dumps(documento)])
    assert e.value.motivo is Motivo.BOLETA_NO_CORRESPONDE_AL_MANIFIESTO
    documento = json.loads(serializar(boletas_conocidas[0].boleta))
    documento["contiendas"][0]["indice"] = 99
    with pytest.raises(ErrorDecodificacion):
        acumular_verificadas(contexto, [json.dumps(documento)])
    with pytest.raises(ErrorDecodificacion) as e:
        acumular_verificadas(contexto, [serializar(boletas_conocidas[0].preparada.apertura())])
    assert e.value.motivo is Motivo.TIPO_INVALIDO


# -- descifrado correcto -------------------------------------------------------------------------------
@pytest.mark.parametrize("presentes", list(itertools.combinations(CUSTODIOS, 3)), ids=str)
def test_cualquier_cuorum_de_tres_descifra(
    contexto, registro, llaves, escrutinio, conteos_esperados, presentes: tuple[int, ...]
) -> None:
    resultado = descifrar_en_proceso(contexto, registro, [llaves[i] for i in presentes], escrutinio)
    assert resultado.cuorum == presentes
    assert resultado.conteos() == conteos_esperados
    assert resultado.hash_escrutinio == escrutinio.hash(contexto)
    verificar_resultado(contexto, escrutinio, resultado)


@pytest.mark.parametrize(
    ("presentes", "cuorum"),
    [((1, 2, 4, 5), (1, 2, 4)), ((5, 4, 3, 2, 1), (1, 2, 3)), ((4, 4, 2, 5), (2, 4, 5))],
    ids=str,
)
def test_cuatro_o_cinco_presentes(
    contexto, registro, llaves, escrutinio, conteos_esperados, presentes, cuorum
) -> None:
    resultado = descifrar_en_proceso(contexto, registro, [llaves[i] for i in presentes], escrutinio)
    assert resultado.cuorum == cuorum
    assert resultado.conteos() == conteos_esperados
    verificar_resultado(contexto, escrutinio, resultado)


def test_m_es_a_a_la_s(contexto, pequeno, resultado_pequeno, secreto: int) -> None:
    """M = A^s (s = Σ a_i0, que nadie posee) y B·M^(−1) = K^t (V10), con enteros de Python."""
    k = int(contexto.llave)
    for (_, _, cifrado), opcion in zip(pequeno.cifrados(), resultado_pequeno.opciones, strict=True):
        m = pow(int(cifrado.alfa), secreto, P)
        assert int(opcion.m) == m
        assert int(cifrado.beta) * pow(m, -1, P) % P == pow(k, opcion.conteo, P)
    assert resultado_pequeno.conteos() == {4: {1: 2, 2: 1, 3: 1, 4: 1}}


def test_escrutinio_sin_una_boleta_da_otros_conteos(
    contexto, registro, llaves, manifiesto, boletas_conocidas, conteos_esperados, contar_marcas
) -> None:
    restantes = [b for i, b in enumerate(boletas_conocidas) if i != 2]
    escrutinio = acumular(contexto, [b.boleta for b in restantes])
    resultado = descifrar_en_proceso(contexto, registro, [llaves[i] for i in (2, 3, 4)], escrutinio)
    assert resultado.conteos() == contar_marcas([b.marcas for b in restantes])
    assert resultado.conteos() != conteos_esperados
    assert resultado.conteos()[4][1] == conteos_esperados[4][1] - 1
    assert resultado.conteos()[4][3] == conteos_esperados[4][3] - 1


def test_escrutinio_vacio_descifra_a_cero(contexto, registro, llaves) -> None:
    vacio = EscrutinioCifrado((acumular(contexto, []).contiendas[3],))
    resultado = descifrar_en_proceso(contexto, registro, [llaves[i] for i in (1, 4, 5)], vacio)
    assert resultado.conteos() == {4: {1: 0, 2: 0, 3: 0, 4: 0}}
    verificar_resultado(contexto, vacio, resultado)


# -- cuórum --------------------------------------------------------------------------------------------
@pytest.mark.parametrize("presentes", [(), (4,), (2, 5), (2, 2, 5)], ids=str)
def test_menos_de_tres_custodios(contexto, registro, llaves, pequeno, presentes) -> None:
    """Una llave repetida no cuenta dos veces."""
    with pytest.raises(ErrorDescifrado) as e:
        descifrar_en_proceso(contexto, registro, [llaves[i] for i in presentes], pequeno)
    assert e.value.motivo is Motivo.CUORUM_INSUFICIENTE
    assert e.value.detalles == {"presentes": len(set(presentes))}


def test_el_mismo_custodio_dos_veces_no_completa_el_cuorum(contexto, registro, llaves, pequeno) -> None:
    """Solo cuentan las partes de U, una por custodio: repetir una o mandar una de fuera de U no completa U.

    Si un custodio repite la ronda 1 (nonces nuevos), el combinador se queda con su última parte:
    es la única que el custodio puede responder.
    """
    cuorum = (1, 2, 3)
    combinador = CombinadorDescifrado(contexto, registro, pequeno, cuorum)
    with pytest.raises(ErrorDescifrado) as e:
        combinador.retos()
    assert (e.value.motivo, e.value.detalles) == (Motivo.CUORUM_INSUFICIENTE, {"faltan": [1, 2, 3]})
    descifradores = {i: DescifradorCustodio(contexto, llaves[i]) for i in cuorum}
    for _ in range(3):
        combinador.recibir_parcial(descifradores[1].descifrado_parcial(pequeno, cuorum))
    combinador.recibir_parcial(descifradores[2].descifrado_parcial(pequeno, cuorum))
    # El custodio 4 no está en U: su parte (para un cuórum que sí lo contiene) no ocupa el lugar del 3,
    # ni siquiera con el campo ``cuorum`` reescrito.
    ajena = DescifradorCustodio(contexto, llaves[4]).descifrado_parcial(pequeno, (1, 2, 4))
    for mensaje in (ajena, dataclasses.replace(ajena, cuorum=cuorum)):
        with pytest.raises(ErrorDescifrado) as e:
            combinador.recibir_parcial(mensaje)
        assert (e.value.motivo, e.value.detalles) == (Motivo.CUSTODIO_DESCONOCIDO, {"custodio": 4})
    with pytest.raises(ErrorDescifrado) as e:
        combinador.retos()
    assert (e.value.motivo, e.value.detalles) == (Motivo.CUORUM_INSUFICIENTE, {"faltan": [3]})
    combinador.recibir_parcial(descifradores[3].descifrado_parcial(pequeno, cuorum))
    retos = combinador.retos()
    for d in descifradores.values():
        combinador.recibir_respuesta(d.responder(retos))
    assert combinador.resultado().conteos() == {4: {1: 2, 2: 1, 3: 1, 4: 1}}


@pytest.mark.parametrize(
    "cuorum",
    [(1, 1, 2), (0, 1, 2), (1, 2, 6), (1, 2), (1, 2, 3, 4), (), (True, 2, 3), (1, "2", 3), (1, None, 3)],
    ids=str,
)
def test_cuorum_anunciado_invalido(contexto, registro, llaves, pequeno, cuorum) -> None:
    """U son exactamente k índices distintos de 1..n: el combinador y el custodio rechazan cualquier otro."""
    with pytest.raises(ErrorDescifrado) as e:
        CombinadorDescifrado(contexto, registro, pequeno, cuorum)
    assert (e.value.motivo, e.value.detalles) == (Motivo.CUORUM_INSUFICIENTE, {"cuorum": list(cuorum)})
    with pytest.raises(ErrorDescifrado) as e:
        DescifradorCustodio(contexto, llaves[2]).descifrado_parcial(pequeno, cuorum)
    assert (e.value.motivo, e.value.detalles) == (Motivo.CUORUM_INSUFICIENTE, {"cuorum": list(cuorum)})


def test_custodio_fuera_del_cuorum_no_descifra(contexto, llaves, pequeno) -> None:
    d = DescifradorCustodio(contexto, llaves[4])
    with pytest.raises(ErrorDescifrado) as e:
        d.descifrado_parcial(pequeno, (1, 2, 3))
    assert (e.value.motivo, e.value.detalles) == (Motivo.CEREMONIA_FUERA_DE_ORDEN, {"custodio": 4})
    # Sin parte no hay nonces: tampoco hay nada que responder.
    with pytest.raises(ErrorDescifrado) as e:
        d.responder(RetosDescifrado(pequeno.hash(contexto), (1, 2, 3), (G.q_elemento(1),) * 4))
    assert e.value.motivo is Motivo.CEREMONIA_FUERA_DE_ORDEN
    # El orden en que se anuncia U no importa: el cuórum se normaliza en orden creciente.
    assert d.descifrado_parcial(pequeno, (5, 4, 1)).cuorum == (1, 4, 5)


# -- custodios deshonestos -----------------------------------------------------------------------------
@pytest.mark.parametrize("culpable", [1, 3, 5])
def test_respuesta_equivocada_nombra_al_culpable(contexto, registro, llaves, pequeno, culpable: int) -> None:
    combinador = _protocolo(
        contexto, registro, llaves, pequeno, (1, 3, 5), respuesta={culpable: lambda m: _con_respuesta(m, 2)}
    )
    with pytest.raises(ErrorVerificacion) as e:
        combinador.resultado()
    assert e.value.motivo is Motivo.DESCIFRADO_INVALIDO
    assert e.value.detalles == {"custodio": culpable, "contienda": 4, "opcion": 3}


@pytest.mark.parametrize("campo", ["m", "a", "b"])
@pytest.mark.parametrize("culpable", [2, 4])
def test_parte_equivocada_nombra_al_culpable(
    contexto, registro, llaves, pequeno, campo: str, culpable: int
) -> None:
    def alterar(mensaje: DescifradoParcial) -> DescifradoParcial:
        return _con_parte(mensaje, 1, **{campo: getattr(mensaje.partes[1], campo) * G.generador})

    combinador = _protocolo(contexto, registro, llaves, pequeno, (2, 3, 4), parcial={culpable: alterar})
    with pytest.raises(ErrorVerificacion) as e:
        combinador.resultado()
    assert e.value.motivo is Motivo.DESCIFRADO_INVALIDO
    assert e.value.detalles == {"custodio": culpable, "contienda": 4, "opcion": 2}


def test_llave_de_custodio_equivocada(contexto, registro, llaves, pequeno) -> None:
    """Un custodio que usa otro P(i) (p. ej. un respaldo corrupto) queda identificado."""
    llaves_mal = dict(llaves)
    llaves_mal[3] = dataclasses.replace(llaves[3], comparticion=llaves[3].comparticion + 1)
    combinador = _protocolo(contexto, registro, llaves_mal, pequeno, (1, 3, 4))
    with pytest.raises(ErrorVerificacion) as e:
        combinador.resultado()
    assert (e.value.motivo, e.value.detalles["custodio"]) == (Motivo.DESCIFRADO_INVALIDO, 3)


def test_combinador_rechaza_mensajes_ajenos(contexto, registro, llaves, pequeno, escrutinio) -> None:
    cuorum = (1, 2, 3)
    combinador = CombinadorDescifrado(contexto, registro, pequeno, cuorum)
    assert combinador.cuorum == cuorum
    d1 = DescifradorCustodio(contexto, llaves[1])
    parcial = d1.descifrado_parcial(pequeno, cuorum)
    assert (parcial.custodio, parcial.cuorum) == (1, cuorum)
    for custodio in (0, 4, 5, 6):
        with pytest.raises(ErrorDescifrado) as e:
            combinador.recibir_parcial(dataclasses.replace(parcial, custodio=custodio))
        assert (e.value.motivo, e.value.detalles) == (Motivo.CUSTODIO_DESCONOCIDO, {"custodio": custodio})
    otro = DescifradorCustodio(contexto, llaves[2]).descifrado_parcial(escrutinio, cuorum)
    with pytest.raises(ErrorDescifrado) as e:
        combinador.recibir_parcial(otro)
    assert (e.value.motivo, e.value.detalles) == (Motivo.DESCIFRADO_INCONSISTENTE, {"custodio": 2})
    for malo in (
        dataclasses.replace(parcial, partes=parcial.partes[:-1]),
        dataclasses.replace(parcial, partes=(*parcial.partes, parcial.partes[0])),
        dataclasses.replace(parcial, hash_escrutinio=bytes(32)),
        dataclasses.replace(parcial, cuorum=(1, 2, 4)),
        dataclasses.replace(parcial, cuorum=(1, 2)),
        dataclasses.replace(parcial, cuorum=(3, 2, 1)),
    ):
        with pytest.raises(ErrorDescifrado) as e:
            combinador.recibir_parcial(malo)
        assert (e.value.motivo, e.value.detalles) == (Motivo.DESCIFRADO_INCONSISTENTE, {"custodio": 1})
    with pytest.raises(ErrorDescifrado) as e:
        combinador.retos()
    assert (e.value.motivo, e.value.detalles) == (Motivo.CUORUM_INSUFICIENTE, {"faltan": [1, 2, 3]})
    descifradores = {1: d1}
    combinador.recibir_parcial(parcial)
    for i in (2, 3):
        descifradores[i] = DescifradorCustodio(contexto, llaves[i])
        combinador.recibir_parcial(descifradores[i].descifrado_parcial(pequeno, cuorum))
    retos = combinador.retos()
    assert retos.cuorum == cuorum and combinador.retos() is retos
    # Emitidos los retos, ni una parte nueva de un miembro de U ni una de fuera de U se aceptan.
    with pytest.raises(ErrorDescifrado) as e:
        combinador.recibir_parcial(DescifradorCustodio(contexto, llaves[1]).descifrado_parcial(pequeno, cuorum))
    assert e.value.motivo is Motivo.CEREMONIA_FUERA_DE_ORDEN
    with pytest.raises(ErrorDescifrado) as e:
        combinador.recibir_parcial(
            DescifradorCustodio(contexto, llaves[5]).descifrado_parcial(pequeno, (1, 2, 5))
        )
    assert e.value.motivo is Motivo.CUSTODIO_DESCONOCIDO
    with pytest.raises(ErrorDescifrado) as e:
        combinador.resultado()
    assert (e.value.motivo, e.value.detalles) == (Motivo.CUORUM_INSUFICIENTE, {"faltan": [1, 2, 3]})
    # El custodio 4 no está en U: aunque responda a retos de otro cuórum que lo contiene, no se acepta.
    d4 = DescifradorCustodio(contexto, llaves[4])
    d4.descifrado_parcial(pequeno, (2, 3, 4))
    with pytest.raises(ErrorDescifrado) as e:
        combinador.recibir_respuesta(d4.responder(dataclasses.replace(retos, cuorum=(2, 3, 4))))
    assert (e.value.motivo, e.value.detalles) == (Motivo.DESCIFRADO_INCONSISTENTE, {"custodio": 4})
    respuesta = descifradores[1].responder(retos)
    with pytest.raises(ErrorDescifrado) as e:
        combinador.recibir_respuesta(dataclasses.replace(respuesta, respuestas=respuesta.respuestas[:2]))
    assert e.value.motivo is Motivo.DESCIFRADO_INCONSISTENTE
    with pytest.raises(ErrorDescifrado) as e:
        combinador.recibir_respuesta(dataclasses.replace(respuesta, hash_escrutinio=bytes(32)))
    assert e.value.motivo is Motivo.DESCIFRADO_INCONSISTENTE
    combinador.recibir_respuesta(respuesta)
    with pytest.raises(ErrorDescifrado) as e:
        combinador.resultado()
    assert (e.value.motivo, e.value.detalles) == (Motivo.CUORUM_INSUFICIENTE, {"faltan": [2, 3]})
    for i in (2, 3):
        combinador.recibir_respuesta(descifradores[i].responder(retos))
    assert combinador.resultado().conteos() == {4: {1: 2, 2: 1, 3: 1, 4: 1}}


def test_parte_calculada_para_otro_cuorum_se_rechaza(contexto, registro, llaves, pequeno) -> None:
    """La parte de un custodio de U calculada para otro cuórum U' lleva otro peso w_i: el combinador la rechaza.

    Si el combinador la aceptara (el campo ``cuorum`` reescrito a U), M = ∏ M_i ya no sería A^s y la
    prueba conjunta fallaría, con el custodio 2 identificado como culpable.
    """
    cuorum, otro = (1, 2, 3), (2, 3, 4)
    combinador = CombinadorDescifrado(contexto, registro, pequeno, cuorum)
    descifradores = {i: DescifradorCustodio(contexto, llaves[i]) for i in cuorum}
    for i in (1, 3):
        combinador.recibir_parcial(descifradores[i].descifrado_parcial(pequeno, cuorum))
    ajena = descifradores[2].descifrado_parcial(pequeno, otro)
    assert ajena.cuorum == otro
    with pytest.raises(ErrorDescifrado) as e:
        combinador.recibir_parcial(ajena)
    assert (e.value.motivo, e.value.detalles) == (Motivo.DESCIFRADO_INCONSISTENTE, {"custodio": 2})
    with pytest.raises(ErrorDescifrado) as e:
        combinador.retos()
    assert (e.value.motivo, e.value.detalles) == (Motivo.CUORUM_INSUFICIENTE, {"faltan": [2]})

    # Lo que el rechazo evita: la misma parte con el cuórum reescrito pasa la recepción, pero no la prueba.
    combinador.recibir_parcial(dataclasses.replace(ajena, cuorum=cuorum))
    retos = combinador.retos()
    for i in (1, 3):
        combinador.recibir_respuesta(descifradores[i].responder(retos))
    combinador.recibir_respuesta(descifradores[2].responder(dataclasses.replace(retos, cuorum=otro)))
    with pytest.raises(ErrorVerificacion) as e:
        combinador.resultado()
    assert (e.value.motivo, e.value.detalles) == (
        Motivo.DESCIFRADO_INVALIDO,
        {"custodio": 2, "contienda": 4, "opcion": 1},
    )


def test_m_i_es_la_comparticion_ponderada(contexto, registro, llaves, pequeno, secreto: int) -> None:
    """M_i = A^(w_i·P(i)) con w_i el peso de Lagrange de i en U; ∏_(i∈U) M_i = A^s."""
    alfas = [int(c.alfa) for _, _, c in pequeno.cifrados()]
    for cuorum in ((1, 2, 3), (2, 4, 5), (1, 3, 5)):
        pesos = pesos_lagrange(G, cuorum)
        producto = [1] * len(alfas)
        for i in cuorum:
            llave = llaves[i]
            assert llave.custodio == i
            ponderada = int(pesos[i]) * int(llave.comparticion) % Q
            assert pow(int(G.generador), int(llave.comparticion), P) == int(registro.llave_verificacion(i))
            parcial = DescifradorCustodio(contexto, llave).descifrado_parcial(pequeno, cuorum)
            assert [int(x.m) for x in parcial.partes] == [pow(a, ponderada, P) for a in alfas]
            if int(pesos[i]) != 1:
                assert [int(x.m) for x in parcial.partes] != [pow(a, int(llave.comparticion), P) for a in alfas]
            producto = [x * int(parte.m) % P for x, parte in zip(producto, parcial.partes, strict=True)]
        assert producto == [pow(a, secreto, P) for a in alfas]


# -- el custodio responde una sola vez -----------------------------------------------------------------
def _retos_para(
    contexto, registro, llaves, escrutinio, cuorum
) -> tuple[dict[int, DescifradorCustodio], RetosDescifrado]:
    combinador = CombinadorDescifrado(contexto, registro, escrutinio, cuorum)
    descifradores = {i: DescifradorCustodio(contexto, llaves[i]) for i in cuorum}
    for d in descifradores.values():
        combinador.recibir_parcial(d.descifrado_parcial(escrutinio, cuorum))
    return descifradores, combinador.retos()


def test_descifrador_no_responde_dos_veces(contexto, registro, llaves, pequeno) -> None:
    descifradores, retos = _retos_para(contexto, registro, llaves, pequeno, (1, 2, 3))
    d = descifradores[2]
    assert d.responder(retos).custodio == 2
    with pytest.raises(ErrorDescifrado) as e:
        d.responder(retos)
    assert e.value.motivo is Motivo.CEREMONIA_FUERA_DE_ORDEN
    with pytest.raises(ErrorDescifrado) as e:
        DescifradorCustodio(contexto, llaves[2]).responder(retos)
    assert e.value.motivo is Motivo.CEREMONIA_FUERA_DE_ORDEN


def test_repetir_la_ronda_1_descarta_los_nonces_anteriores(contexto, registro, llaves, pequeno) -> None:
    """Una segunda ronda 1 da compromisos nuevos (mismo M_i); la respuesta corresponde solo a los últimos.

    Ronda 1 repetida para otro cuórum: otro peso w_i, luego otro M_i, pero M_i^(1/w_i) = A^(P(i)) es el mismo.
    """
    cuorum = (1, 2, 3)
    d = DescifradorCustodio(contexto, llaves[2])
    otro_cuorum = d.descifrado_parcial(pequeno, (2, 4, 5))
    viejo = d.descifrado_parcial(pequeno, cuorum)
    nuevo = d.descifrado_parcial(pequeno, cuorum)
    assert [x.m for x in viejo.partes] == [x.m for x in nuevo.partes]
    assert all(x.a != y.a and x.b != y.b for x, y in zip(viejo.partes, nuevo.partes, strict=True))
    w, w_otro = pesos_lagrange(G, cuorum)[2], pesos_lagrange(G, (2, 4, 5))[2]
    assert w != w_otro
    inv, inv_otro = pow(int(w), -1, Q), pow(int(w_otro), -1, Q)
    for x, y in zip(nuevo.partes, otro_cuorum.partes, strict=True):
        assert x.m != y.m
        assert x.m ** inv == y.m ** inv_otro
    combinador = CombinadorDescifrado(contexto, registro, pequeno, cuorum)
    combinador.recibir_parcial(nuevo)
    for i in (1, 3):
        combinador.recibir_parcial(DescifradorCustodio(contexto, llaves[i]).descifrado_parcial(pequeno, cuorum))
    retos = combinador.retos()
    respuesta = d.responder(retos)
    llave_ponderada = registro.llave_verificacion(2) ** w
    alfas = [c.alfa for _, _, c in pequeno.cifrados()]
    for posicion, (alfa, c, v) in enumerate(zip(alfas, retos.retos, respuesta.respuestas, strict=True)):
        parte = nuevo.partes[posicion]
        verificar_respuesta_parcial(llave_ponderada, alfa, parte.m, parte.a, parte.b, c, v)
        for vieja in (viejo.partes[posicion], otro_cuorum.partes[posicion]):
            with pytest.raises(ErrorVerificacion):
                verificar_respuesta_parcial(llave_ponderada, alfa, vieja.m, vieja.a, vieja.b, c, v)
        # La llave sin ponderar (la del protocolo anterior) no verifica la respuesta.
        with pytest.raises(ErrorVerificacion):
            verificar_respuesta_parcial(registro.llave_verificacion(2), alfa, parte.m, parte.a, parte.b, c, v)
    with pytest.raises(ErrorDescifrado):
        d.responder(retos)


def test_dos_retos_distintos_no_obtienen_dos_respuestas(contexto, registro, llaves, pequeno) -> None:
    """Dos respuestas con el mismo u_i y retos distintos revelarían s_i = w_i·P(i) = (v − v')/(c' − c)."""
    descifradores, retos = _retos_para(contexto, registro, llaves, pequeno, (1, 2, 3))
    d = descifradores[1]
    otros = dataclasses.replace(retos, retos=tuple(c + 1 for c in retos.retos))
    primera = d.responder(otros)
    assert primera.respuestas != ()
    with pytest.raises(ErrorDescifrado) as e:
        d.responder(retos)
    assert e.value.motivo is Motivo.CEREMONIA_FUERA_DE_ORDEN


def test_retos_que_no_corresponden(contexto, registro, llaves, pequeno) -> None:
    """Retos de otro escrutinio se rechazan sin tocar los nonces; retos mal formados los queman."""
    cuorum = (1, 2, 3)
    descifradores, retos = _retos_para(contexto, registro, llaves, pequeno, cuorum)
    d = descifradores[3]
    with pytest.raises(ErrorDescifrado) as e:
        d.responder(dataclasses.replace(retos, hash_escrutinio=bytes(32)))
    assert e.value.motivo is Motivo.CEREMONIA_FUERA_DE_ORDEN
    assert d.responder(retos).custodio == 3
    for malos in (
        dataclasses.replace(retos, cuorum=(1, 2, 4)),
        dataclasses.replace(retos, retos=retos.retos[:-1]),
        dataclasses.replace(retos, retos=(*retos.retos, retos.retos[0])),
    ):
        otro = DescifradorCustodio(contexto, llaves[3])
        otro.descifrado_parcial(pequeno, cuorum)
        with pytest.raises(ErrorDescifrado) as e:
            otro.responder(malos)
        assert e.value.motivo is Motivo.CEREMONIA_FUERA_DE_ORDEN
        with pytest.raises(ErrorDescifrado) as e:
            otro.responder(retos)
        assert e.value.motivo is Motivo.CEREMONIA_FUERA_DE_ORDEN


@pytest.mark.parametrize(
    "cuorum", [(1, 2, 4), (2, 3, 4), (1, 3, 5), (1, 1, 2), (0, 1, 2), (1, 2, 6), (1, 2), (1, 2, 3, 4)], ids=str
)
def test_retos_de_otro_cuorum(contexto, registro, llaves, pequeno, cuorum) -> None:
    """El custodio solo responde retos del cuórum que se le anunció en la ronda 1 (válido o no):
    otro cuórum daría a su respuesta otro peso w_i.  Error del árbol ErrorVMRE, sin responder."""
    descifradores, retos = _retos_para(contexto, registro, llaves, pequeno, (1, 2, 3))
    d = descifradores[1]
    with pytest.raises(ErrorDescifrado) as e:
        d.responder(dataclasses.replace(retos, cuorum=cuorum))
    assert isinstance(e.value, ErrorVMRE)
    assert e.value.motivo is Motivo.CEREMONIA_FUERA_DE_ORDEN
    assert e.value.detalles == {"cuorum": list(cuorum)}
    # Los nonces se queman: ni siquiera los retos correctos obtienen ya una respuesta.
    with pytest.raises(ErrorDescifrado) as e:
        d.responder(retos)
    assert e.value.motivo is Motivo.CEREMONIA_FUERA_DE_ORDEN
    # Los demás custodios de U no se ven afectados.
    assert descifradores[2].responder(retos).custodio == 2


# -- cota del logaritmo discreto ------------------------------------------------------------------------
def test_cota_del_logaritmo_discreto(contexto, registro, llaves, pequeno) -> None:
    """La cota es el número de boletas de la contienda; la opción 1 tiene 2 votos."""
    contienda = pequeno.contiendas[0]
    assert contienda.boletas == 3
    justo = EscrutinioCifrado((dataclasses.replace(contienda, boletas=2),))
    resultado = descifrar_en_proceso(contexto, registro, [llaves[i] for i in (1, 2, 5)], justo)
    assert resultado.conteos() == {4: {1: 2, 2: 1, 3: 1, 4: 1}}
    corto = EscrutinioCifrado((dataclasses.replace(contienda, boletas=1),))
    with pytest.raises(ErrorDescifrado) as e:
        descifrar_en_proceso(contexto, registro, [llaves[i] for i in (1, 2, 5)], corto)
    assert (e.value.motivo, e.value.detalles) == (Motivo.LOGARITMO_FUERA_DE_COTA, {"cota": 1})


# -- verificación del resultado publicado --------------------------------------------------------------
def test_resultado_publicado_verifica(contexto, pequeno, resultado_pequeno) -> None:
    verificar_resultado(contexto, pequeno, resultado_pequeno)


@pytest.mark.parametrize(("posicion", "delta"), [(0, 1), (0, -1), (3, 1), (3, -1), (1, 10)])
def test_conteo_cambiado(contexto, pequeno, resultado_pequeno, posicion: int, delta: int) -> None:
    conteo = resultado_pequeno.opciones[posicion].conteo + delta
    alterado = _con_opcion(resultado_pequeno, posicion, conteo=conteo)
    with pytest.raises(ErrorVerificacion) as e:
        verificar_resultado(contexto, pequeno, alterado)
    assert e.value.motivo is Motivo.DESCIFRADO_INCONSISTENTE
    assert e.value.detalles == {"contienda": 4, "opcion": posicion + 1}


def test_conteo_mas_q_se_rechaza(contexto, pequeno, resultado_pequeno) -> None:
    """K^(t+q) = K^t: sin la cota 0 ≤ t ≤ boletas, un conteo publicado t + q pasaría V10."""
    for extra in (Q, 2 * Q):
        alterado = _con_opcion(resultado_pequeno, 0, conteo=resultado_pequeno.opciones[0].conteo + extra)
        with pytest.raises(ErrorVerificacion) as e:
            verificar_resultado(contexto, pequeno, alterado)
        assert e.value.motivo is Motivo.DESCIFRADO_INCONSISTENTE


def test_conteo_en_el_limite_de_la_cota(contexto, registro, llaves) -> None:
    """Un conteo igual al número de boletas (todas marcan la opción) es válido."""
    boletas = [cifrar_boleta(contexto, "CHIH", {1: (5,)}).boleta for _ in range(2)]
    escrutinio = EscrutinioCifrado((acumular(contexto, boletas).contiendas[0],))
    resultado = descifrar_en_proceso(contexto, registro, [llaves[i] for i in (3, 4, 5)], escrutinio)
    assert resultado.conteos()[1][5] == 2 == escrutinio.contiendas[0].boletas
    verificar_resultado(contexto, escrutinio, resultado)


def test_h_t_liga_el_numero_de_boletas(contexto, pequeno, resultado_pequeno) -> None:
    """N_c es la cota de V10: un escrutinio publicado con otra N_c ya no corresponde al resultado."""
    for boletas in (0, 2, 4, 1000):
        otro = EscrutinioCifrado((dataclasses.replace(pequeno.contiendas[0], boletas=boletas),))
        assert otro.hash(contexto) != pequeno.hash(contexto)
        alterado = _con_opcion(resultado_pequeno, 0, conteo=resultado_pequeno.opciones[0].conteo + Q)
        for resultado in (resultado_pequeno, alterado):
            with pytest.raises(ErrorVerificacion) as e:
                verificar_resultado(contexto, otro, resultado)
            assert e.value.motivo is Motivo.DESCIFRADO_INCONSISTENTE


@pytest.mark.parametrize("cambio", [{"boletas": 2**32}, {"boletas": -1}, {"indice": 2**32}], ids=str)
def test_enteros_fuera_de_rango_en_el_escrutinio(
    contexto, llaves, pequeno, resultado_pequeno, cambio
) -> None:
    documento = json.loads(serializar(pequeno))
    documento["contiendas"][0].update(cambio)
    try:
        recibido = deserializar(json.dumps(documento), EscrutinioCifrado, G)
    except ErrorDecodificacion:
        return  # Rechazo en la frontera de decodificación: lo deseable.
    with pytest.raises(ErrorVMRE):
        verificar_resultado(contexto, recibido, resultado_pequeno)
    with pytest.raises(ErrorVMRE):
        DescifradorCustodio(contexto, llaves[1]).descifrado_parcial(recibido, (1, 2, 3))


@pytest.mark.parametrize(
    "cambio",
    [
        lambda o: {"m": o.m * G.generador},
        lambda o: {"prueba": dataclasses.replace(o.prueba, reto=o.prueba.reto + 1)},
        lambda o: {"prueba": dataclasses.replace(o.prueba, respuesta=o.prueba.respuesta + 1)},
    ],
    ids=["m", "reto", "respuesta"],
)
def test_m_o_prueba_cambiados(contexto, pequeno, resultado_pequeno, cambio) -> None:
    opcion = resultado_pequeno.opciones[2]
    alterado = _con_opcion(resultado_pequeno, 2, **cambio(opcion))
    with pytest.raises(ErrorVerificacion) as e:
        verificar_resultado(contexto, pequeno, alterado)
    assert e.value.motivo is Motivo.DESCIFRADO_INVALIDO
    assert e.value.detalles == {"contienda": 4, "opcion": 3}


def test_m_cambiado_con_prueba_ajena(contexto, pequeno, resultado_pequeno) -> None:
    """M y la prueba de otra opción juntos: la prueba está ligada al cifrado (A, B)."""
    otra = resultado_pequeno.opciones[1]
    alterado = _con_opcion(resultado_pequeno, 0, m=otra.m, prueba=otra.prueba, conteo=otra.conteo)
    with pytest.raises(ErrorVerificacion) as e:
        verificar_resultado(contexto, pequeno, alterado)
    assert e.value.motivo is Motivo.DESCIFRADO_INVALIDO


def test_resultado_de_otro_escrutinio_u_opciones_desordenadas(
    contexto, escrutinio, pequeno, resultado_pequeno
) -> None:
    casos = [
        (escrutinio, resultado_pequeno),
        (pequeno, dataclasses.replace(resultado_pequeno, hash_escrutinio=bytes(32))),
        (pequeno, dataclasses.replace(resultado_pequeno, opciones=resultado_pequeno.opciones[:-1])),
        (
            pequeno,
            dataclasses.replace(resultado_pequeno, opciones=tuple(reversed(resultado_pequeno.opciones))),
        ),
        (pequeno, _con_opcion(resultado_pequeno, 0, opcion=9)),
    ]
    for escrutinio_, resultado in casos:
        with pytest.raises(ErrorVerificacion) as e:
            verificar_resultado(contexto, escrutinio_, resultado)
        assert e.value.motivo is Motivo.DESCIFRADO_INCONSISTENTE
