"""Ceremonia de llaves (§7.7–7.9): el camino feliz, su álgebra y cada queja o rechazo.

Las comprobaciones algebraicas leen los coeficientes secretos de ``Custodio.estado``: un
acceso que solo una prueba puede hacer, porque en una elección cada estado vive en la
máquina de su custodio.  Los valores esperados se recalculan con enteros de Python
(``pow``, ``hmac``) sin pasar por el código que se prueba.
"""

from __future__ import annotations

import dataclasses
import hashlib
import hmac
import itertools

import pytest

from vmre_crypto import (
    ComparticionCifrada,
    CompromisosCustodio,
    ConfirmacionComparticiones,
    ConfirmacionRegistro,
    CoordinadorCeremonia,
    Custodio,
    ErrorCeremonia,
    ErrorVerificacion,
    EstadoCustodio,
    Motivo,
    Queja,
    RegistroLlaves,
    construir_registro,
    verificar_compromisos,
)
from vmre_crypto.primitivas.cifrado_comparticion import cifrar_comparticion
from vmre_crypto.primitivas.grupo import GRUPO_ESTANDAR
from vmre_crypto.primitivas.parametros import hash_base, hash_extendido
from vmre_crypto.primitivas.pruebas_zk.schnorr import PruebaSchnorr, probar_schnorr
from vmre_crypto.primitivas.shamir import pesos_lagrange

G = GRUPO_ESTANDAR
P, Q, GEN = int(G.p), int(G.q), int(G.g)
N, K = 5, 3
INDICES = range(1, N + 1)


def _coeficientes(custodio: Custodio) -> list[int]:
    return [int(a) for a in custodio.estado.coeficientes]


def _p_de(custodios: list[Custodio], ell: int) -> int:
    """P(ℓ) = Σ_i Σ_j a_ij·ℓ^j mod q, ecuación (7.4), con enteros de Python."""
    return sum(a * ell**j for c in custodios for j, a in enumerate(_coeficientes(c))) % Q


def _secreto(custodios: list[Custodio]) -> int:
    return sum(_coeficientes(c)[0] for c in custodios) % Q


# -- ayudas para ceremonias paso a paso --------------------------------------------------------------
def _custodios_nuevos(configuracion) -> list[Custodio]:
    return [Custodio.nuevo(configuracion, i, f"Custodio {i}") for i in INDICES]


def _publicar(
    custodios: list[Custodio], coordinador: CoordinadorCeremonia
) -> tuple[CompromisosCustodio, ...]:
    for custodio in custodios:
        coordinador.recibir_compromisos(custodio.publicar_compromisos())
    publicados = coordinador.compromisos()
    for custodio in custodios:
        assert custodio.recibir_compromisos(publicados) == ()
    return publicados


@dataclasses.dataclass
class EnCurso:
    """Ceremonia con los compromisos intercambiados y todas las comparticiones ya generadas."""

    configuracion: object
    custodios: list[Custodio]
    publicados: tuple[CompromisosCustodio, ...]
    comparticiones: dict[tuple[int, int], ComparticionCifrada]

    def coordinador(self) -> CoordinadorCeremonia:
        """Un coordinador nuevo que ya aceptó los compromisos publicados."""
        coordinador = CoordinadorCeremonia(self.configuracion)
        for mensaje in self.publicados:
            coordinador.recibir_compromisos(mensaje)
        return coordinador

    def para(self, receptor: int, **reemplazos: ComparticionCifrada) -> list[ComparticionCifrada]:
        """Las comparticiones dirigidas a ``receptor``; ``e3=...`` reemplaza la del emisor 3."""
        return [
            reemplazos.get(f"e{e}", m) for (e, r), m in sorted(self.comparticiones.items()) if r == receptor
        ]

    def fresco(self, indice: int) -> tuple[Custodio, list[CompromisosCustodio]]:
        """Un custodio sin estado de sesión (mismos secretos que ``indice``) y la lista que debe recibir.

        Sus pruebas de Schnorr nuevas difieren de las publicadas, así que su propio mensaje
        se reemplaza por el que acaba de publicar.
        """
        custodio = Custodio(self.configuracion, self.custodios[indice - 1].estado)
        propio = custodio.publicar_compromisos()
        return custodio, [propio if m.custodio == indice else m for m in self.publicados]

    def valor_correcto(self, emisor: int, receptor: int) -> int:
        return sum(a * receptor**j for j, a in enumerate(_coeficientes(self.custodios[emisor - 1]))) % Q


@pytest.fixture(scope="module")
def en_curso(configuracion) -> EnCurso:
    custodios = _custodios_nuevos(configuracion)
    publicados = _publicar(custodios, CoordinadorCeremonia(configuracion))
    comparticiones = {(m.emisor, m.receptor): m for c in custodios for m in c.comparticiones()}
    assert sorted(comparticiones) == [(e, r) for e in INDICES for r in INDICES if e != r]
    return EnCurso(configuracion, custodios, publicados, comparticiones)


# -- álgebra del resultado -----------------------------------------------------------------------------
def test_llave_conjunta_es_g_a_la_suma_de_los_a_i0(ceremonia) -> None:
    custodios, registro = ceremonia.custodios, ceremonia.registro
    s = _secreto(custodios)
    assert int(registro.llave_conjunta) == pow(GEN, s, P)
    assert ceremonia.contexto.llave == registro.llave_conjunta
    for custodio, mensaje in zip(custodios, registro.compromisos, strict=True):
        assert mensaje.custodio == custodio.indice
        assert [int(x) for x in mensaje.compromisos] == [pow(GEN, a, P) for a in _coeficientes(custodio)]


def test_llaves_de_verificacion_son_g_a_la_p_de_ell(ceremonia) -> None:
    custodios, registro = ceremonia.custodios, ceremonia.registro
    assert len(registro.llaves_verificacion) == N
    for ell in INDICES:
        llave = custodios[ell - 1].llave()
        assert llave.custodio == ell
        assert int(llave.comparticion) == _p_de(custodios, ell)
        assert int(registro.llave_verificacion(ell)) == pow(GEN, int(llave.comparticion), P)


def test_h_e_es_hash_extendido(configuracion, ceremonia) -> None:
    registro, contexto = ceremonia.registro, ceremonia.contexto
    h_b = hash_base(configuracion.h_p, N, K, configuracion.fecha, configuracion.info, configuracion.h_m)
    assert contexto.h_b == configuracion.h_b == h_b
    assert registro.h_e == contexto.h_e == hash_extendido(h_b, registro.llave_conjunta)
    ingenuo = hmac.new(
        h_b, b"\x12" + int(registro.llave_conjunta).to_bytes(512, "big"), hashlib.sha256
    ).digest()
    assert contexto.h_e == ingenuo


def test_hash_registro_recalculado_a_mano(ceremonia) -> None:
    """Ecuación (7.12) con bytes concatenados a mano."""
    registro, h_e = ceremonia.registro, ceremonia.contexto.h_e
    datos = bytearray(b"\x52") + N.to_bytes(4, "big") + K.to_bytes(4, "big")
    for mensaje in registro.compromisos:
        nombre = mensaje.nombre.encode("utf-8")
        datos += mensaje.custodio.to_bytes(4, "big") + len(nombre).to_bytes(4, "big") + nombre
        for compromiso, prueba in zip(mensaje.compromisos, mensaje.pruebas, strict=True):
            datos += int(compromiso).to_bytes(512, "big")
            datos += int(prueba.reto).to_bytes(32, "big") + int(prueba.respuesta).to_bytes(32, "big")
    for llave in registro.llaves_verificacion:
        datos += int(llave).to_bytes(512, "big")
    assert registro.hash_registro == hmac.new(h_e, bytes(datos), hashlib.sha256).digest()


def test_cualquiera_recalcula_el_registro(configuracion, ceremonia) -> None:
    registro = ceremonia.registro
    assert construir_registro(configuracion, reversed(registro.compromisos)) == registro
    for mensaje in registro.compromisos:
        verificar_compromisos(configuracion, mensaje)


@pytest.mark.parametrize("cuorum", list(itertools.combinations(INDICES, K)), ids=str)
def test_cualquier_cuorum_de_tres_reconstruye_el_secreto(ceremonia, cuorum: tuple[int, ...]) -> None:
    custodios = ceremonia.custodios
    pesos = pesos_lagrange(G, cuorum)
    combinado = sum(int(pesos[i]) * int(custodios[i - 1].llave().comparticion) for i in cuorum) % Q
    assert combinado == _secreto(custodios)


def test_cuatro_y_cinco_tambien_reconstruyen(ceremonia) -> None:
    custodios = ceremonia.custodios
    for cuorum in [*itertools.combinations(INDICES, 4), tuple(INDICES)]:
        pesos = pesos_lagrange(G, cuorum)
        combinado = sum(int(pesos[i]) * _p_de(custodios, i) for i in cuorum) % Q
        assert combinado == _secreto(custodios)


@pytest.mark.parametrize("tamano", [1, 2])
def test_menos_de_tres_no_reconstruyen(ceremonia, tamano: int) -> None:
    custodios = ceremonia.custodios
    s = _secreto(custodios)
    for cuorum in itertools.combinations(INDICES, tamano):
        pesos = pesos_lagrange(G, cuorum)
        assert sum(int(pesos[i]) * _p_de(custodios, i) for i in cuorum) % Q != s


# -- el camino feliz, mensaje por mensaje ------------------------------------------------------------
def test_ceremonia_paso_a_paso(configuracion) -> None:
    custodios = _custodios_nuevos(configuracion)
    coordinador = CoordinadorCeremonia(configuracion)
    for custodio in custodios[:-1]:
        coordinador.recibir_compromisos(custodio.publicar_compromisos())
    with pytest.raises(ErrorCeremonia) as e:
        coordinador.compromisos()
    assert e.value.motivo is Motivo.CEREMONIA_FUERA_DE_ORDEN
    with pytest.raises(ErrorCeremonia) as e:
        custodios[0].comparticiones()
    assert e.value.motivo is Motivo.CEREMONIA_FUERA_DE_ORDEN
    coordinador.recibir_compromisos(custodios[-1].publicar_compromisos())
    publicados = coordinador.compromisos()
    assert [m.custodio for m in publicados] == list(INDICES)
    for custodio in custodios:
        assert custodio.recibir_compromisos(publicados) == ()
    for custodio in custodios:
        enviados = custodio.comparticiones()
        assert sorted(m.receptor for m in enviados) == [r for r in INDICES if r != custodio.indice]
        for mensaje in enviados:
            coordinador.recibir_comparticion(mensaje)
    for custodio in custodios:
        recibidas = coordinador.comparticiones_para(custodio.indice)
        assert sorted(m.emisor for m in recibidas) == [e for e in INDICES if e != custodio.indice]
        resultado = custodio.recibir_comparticiones(recibidas)
        otros = tuple(i for i in INDICES if i != custodio.indice)
        assert resultado == ConfirmacionComparticiones(custodio.indice, otros)
        with pytest.raises(ErrorCeremonia) as e:
            custodio.llave()
        assert e.value.motivo is Motivo.CEREMONIA_FUERA_DE_ORDEN
        if custodio.indice < N:
            with pytest.raises(ErrorCeremonia) as e:
                coordinador.registro()
            assert e.value.motivo is Motivo.CEREMONIA_FUERA_DE_ORDEN
        coordinador.recibir_resultado_comparticiones(resultado)
    registro = coordinador.registro()
    assert registro == construir_registro(configuracion, publicados)
    for custodio in custodios:
        with pytest.raises(ErrorCeremonia) as e:
            coordinador.finalizar()
        assert e.value.motivo is Motivo.CEREMONIA_FUERA_DE_ORDEN
        confirmacion = custodio.confirmar_registro(registro)
        assert confirmacion == ConfirmacionRegistro(custodio.indice, registro.hash_registro)
        coordinador.recibir_confirmacion_registro(confirmacion)
    final, contexto = coordinador.finalizar()
    assert final is registro
    assert contexto.llave == registro.llave_conjunta and contexto.h_e == registro.h_e
    assert int(contexto.llave) == pow(GEN, _secreto(custodios), P)
    for custodio in custodios:
        assert int(custodio.llave().comparticion) == _p_de(custodios, custodio.indice)


# -- comparticiones inválidas: queja contra el emisor ------------------------------------------------
def test_comparticion_que_no_cumple_feldman(en_curso: EnCurso) -> None:
    """El emisor 2 cifra para el receptor 1 un valor distinto de P_2(1): MAC válido, Feldman no."""
    publica_1 = en_curso.publicados[0].llave_publica
    valor = G.q_elemento((en_curso.valor_correcto(2, 1) + 1) % Q)
    c = cifrar_comparticion(en_curso.configuracion.h_p, 2, 1, publica_1, valor)
    falsa = ComparticionCifrada(2, 1, c.c0, c.c1, c.c2)
    coordinador = en_curso.coordinador()
    for mensaje in en_curso.comparticiones.values():
        coordinador.recibir_comparticion(falsa if (mensaje.emisor, mensaje.receptor) == (2, 1) else mensaje)
    for receptor in (3, 4, 5, 2):
        resultado = en_curso.custodios[receptor - 1].recibir_comparticiones(
            coordinador.comparticiones_para(receptor)
        )
        assert isinstance(resultado, ConfirmacionComparticiones)
        coordinador.recibir_resultado_comparticiones(resultado)
    quejas = en_curso.custodios[0].recibir_comparticiones(coordinador.comparticiones_para(1))
    assert quejas == (Queja(1, 2, "comparticion_feldman_invalida"),)
    with pytest.raises(ErrorCeremonia) as e:
        coordinador.recibir_resultado_comparticiones(quejas)
    assert e.value.motivo is Motivo.CEREMONIA_DETENIDA
    assert e.value.detalles == {"acusado": 2, "acusador": 1, "motivo_queja": "comparticion_feldman_invalida"}
    # Detenida queda detenida: nada avanza hasta repetir la ceremonia sin el culpable.
    for accion in (coordinador.registro, coordinador.compromisos, lambda: coordinador.comparticiones_para(3)):
        with pytest.raises(ErrorCeremonia) as e:
            accion()
        assert e.value.motivo is Motivo.CEREMONIA_DETENIDA and e.value.detalles["acusado"] == 2


def test_el_valor_correcto_cifrado_a_mano_si_se_acepta(en_curso: EnCurso) -> None:
    """Contraprueba de la anterior: la misma construcción con P_2(1) correcto pasa Feldman."""
    publica_1 = en_curso.publicados[0].llave_publica
    c = cifrar_comparticion(
        en_curso.configuracion.h_p, 2, 1, publica_1, G.q_elemento(en_curso.valor_correcto(2, 1))
    )
    buena = ComparticionCifrada(2, 1, c.c0, c.c1, c.c2)
    resultado = en_curso.custodios[0].recibir_comparticiones(en_curso.para(1, e2=buena))
    assert resultado == ConfirmacionComparticiones(1, (2, 3, 4, 5))


def _voltear(datos: bytes, posicion: int) -> bytes:
    return datos[:posicion] + bytes([datos[posicion] ^ 0x01]) + datos[posicion + 1 :]


ALTERACIONES = {
    "c1 primer byte": lambda m: dataclasses.replace(m, c1=_voltear(m.c1, 0)),
    "c1 último byte": lambda m: dataclasses.replace(m, c1=_voltear(m.c1, 31)),
    "c2 un byte": lambda m: dataclasses.replace(m, c2=_voltear(m.c2, 7)),
    "c1 corto": lambda m: dataclasses.replace(m, c1=m.c1[:-1]),
    "c2 vacío": lambda m: dataclasses.replace(m, c2=b""),
    "c0 otro": lambda m: dataclasses.replace(m, c0=m.c0 * G.generador),
}


@pytest.mark.parametrize("alteracion", list(ALTERACIONES), ids=list(ALTERACIONES))
def test_comparticion_alterada_falla_el_mac(en_curso: EnCurso, alteracion: str) -> None:
    alterada = ALTERACIONES[alteracion](en_curso.comparticiones[(4, 3)])
    quejas = en_curso.custodios[2].recibir_comparticiones(en_curso.para(3, e4=alterada))
    assert quejas == (Queja(3, 4, "comparticion_mac_invalida"),)
    coordinador = en_curso.coordinador()
    with pytest.raises(ErrorCeremonia) as e:
        coordinador.recibir_resultado_comparticiones(quejas)
    assert e.value.motivo is Motivo.CEREMONIA_DETENIDA
    assert e.value.detalles["acusado"] == 4
    assert e.value.detalles["motivo_queja"] == "comparticion_mac_invalida"


def test_comparticion_reetiquetada_con_otro_emisor_falla_el_mac(en_curso: EnCurso) -> None:
    """La derivación de llaves liga (i, ℓ): la compartición de 4 presentada como de 5 no se autentica."""
    reetiquetada = dataclasses.replace(en_curso.comparticiones[(4, 3)], emisor=5)
    quejas = en_curso.custodios[2].recibir_comparticiones(en_curso.para(3, e5=reetiquetada))
    assert quejas == (Queja(3, 5, "comparticion_mac_invalida"),)


def test_comparticion_para_otro_receptor(en_curso: EnCurso) -> None:
    ajena = en_curso.comparticiones[(1, 2)]
    with pytest.raises(ErrorCeremonia) as e:
        en_curso.custodios[2].recibir_comparticiones([ajena])
    assert e.value.motivo is Motivo.CEREMONIA_FUERA_DE_ORDEN
    assert e.value.detalles == {"emisor": 1, "receptor": 2}
    propia = dataclasses.replace(en_curso.comparticiones[(1, 3)], emisor=3)
    with pytest.raises(ErrorCeremonia) as e:
        en_curso.custodios[2].recibir_comparticiones([propia])
    assert e.value.motivo is Motivo.CEREMONIA_FUERA_DE_ORDEN


def test_comparticion_faltante(en_curso: EnCurso) -> None:
    custodio, lista = en_curso.fresco(5)
    assert custodio.recibir_compromisos(lista) == ()
    incompletas = [m for m in en_curso.para(5) if m.emisor != 2]
    resultado = custodio.recibir_comparticiones(incompletas)
    assert resultado == (Queja(5, 2, "ceremonia_fuera_de_orden"),)


def test_coordinador_rechaza_comparticiones_mal_dirigidas_o_repetidas(en_curso: EnCurso) -> None:
    coordinador = en_curso.coordinador()
    mensaje = en_curso.comparticiones[(1, 2)]
    coordinador.recibir_comparticion(mensaje)
    with pytest.raises(ErrorCeremonia) as e:
        coordinador.recibir_comparticion(mensaje)
    assert (e.value.motivo, e.value.detalles) == (Motivo.CUSTODIO_DUPLICADO, {"emisor": 1})
    for cambio in ({"receptor": 1}, {"receptor": 6}, {"emisor": 0}, {"receptor": 0}, {"emisor": 9}):
        with pytest.raises(ErrorCeremonia) as e:
            coordinador.recibir_comparticion(dataclasses.replace(mensaje, **cambio))
        assert e.value.motivo is Motivo.CUSTODIO_DESCONOCIDO
    assert coordinador.comparticiones_para(2) == (mensaje,)


# -- compromisos inválidos ---------------------------------------------------------------------------
def _prueba_alterada(mensaje: CompromisosCustodio, j: int) -> CompromisosCustodio:
    pruebas = list(mensaje.pruebas)
    pruebas[j] = PruebaSchnorr(pruebas[j].reto, pruebas[j].respuesta + 1)
    return dataclasses.replace(mensaje, pruebas=tuple(pruebas))


def _compromiso_alterado(mensaje: CompromisosCustodio, j: int) -> CompromisosCustodio:
    compromisos = list(mensaje.compromisos)
    compromisos[j] = compromisos[j] * G.generador
    return dataclasses.replace(mensaje, compromisos=tuple(compromisos))


@pytest.mark.parametrize(
    "alterar",
    [
        lambda m: _prueba_alterada(m, 0),
        lambda m: _prueba_alterada(m, 2),
        lambda m: _compromiso_alterado(m, 1),
        lambda m: dataclasses.replace(m, pruebas=(m.pruebas[1], m.pruebas[0], m.pruebas[2])),
        lambda m: dataclasses.replace(m, compromisos=m.compromisos[:2], pruebas=m.pruebas[:2]),
    ],
    ids=["prueba 0", "prueba 2", "compromiso 1", "pruebas permutadas", "solo k-1 compromisos"],
)
def test_compromisos_con_prueba_invalida(configuracion, en_curso: EnCurso, alterar) -> None:
    alterado = alterar(en_curso.publicados[3])
    with pytest.raises(ErrorVerificacion) as e:
        verificar_compromisos(configuracion, alterado)
    assert e.value.motivo is Motivo.SCHNORR_INVALIDA and e.value.detalles["custodio"] == 4
    # Un custodio que lo recibe se queja contra el 4 …
    receptor, lista = en_curso.fresco(1)
    quejas = receptor.recibir_compromisos([*lista[:3], alterado, lista[4]])
    assert quejas == (Queja(1, 4, "schnorr_invalida"),)
    # … y el coordinador lo rechaza deteniendo la ceremonia.
    coordinador = CoordinadorCeremonia(configuracion)
    for mensaje in en_curso.publicados[:3]:
        coordinador.recibir_compromisos(mensaje)
    with pytest.raises(ErrorCeremonia) as e:
        coordinador.recibir_compromisos(alterado)
    assert e.value.motivo is Motivo.CEREMONIA_DETENIDA
    assert e.value.detalles == {"acusado": 4, "acusador": 0, "motivo_queja": "schnorr_invalida"}
    with pytest.raises(ErrorCeremonia) as e:
        coordinador.recibir_compromisos(en_curso.publicados[4])
    assert e.value.motivo is Motivo.CEREMONIA_DETENIDA


def test_llave_publica_uno_con_prueba_valida_se_rechaza(configuracion) -> None:
    """V3.A: a_i0 = 0 da K_i0 = 1 con una prueba de Schnorr correcta; aun así se rechaza."""
    h_p = configuracion.h_p
    coeficientes = (G.q_elemento(0), G.aleatorio_q(), G.aleatorio_q())
    compromisos = tuple(G.g_a_la(a) for a in coeficientes)
    pruebas = tuple(
        probar_schnorr(h_p, 2, j, a, k)
        for j, (a, k) in enumerate(zip(coeficientes, compromisos, strict=True))
    )
    mensaje = CompromisosCustodio(2, "Custodio 2", compromisos, pruebas)
    with pytest.raises(ErrorVerificacion) as e:
        verificar_compromisos(configuracion, mensaje)
    assert e.value.motivo is Motivo.SCHNORR_INVALIDA and "V3.A" in e.value.mensaje
    valido = dataclasses.replace(mensaje, compromisos=(G.generador, *compromisos[1:]))
    with pytest.raises(ErrorVerificacion):
        verificar_compromisos(configuracion, valido)  # la prueba 0 ya no corresponde a g^1


def test_coordinador_rechaza_compromisos_duplicados_o_de_desconocidos(
    configuracion, en_curso: EnCurso
) -> None:
    coordinador = CoordinadorCeremonia(configuracion)
    coordinador.recibir_compromisos(en_curso.publicados[0])
    with pytest.raises(ErrorCeremonia) as e:
        coordinador.recibir_compromisos(en_curso.publicados[0])
    assert (e.value.motivo, e.value.detalles) == (Motivo.CUSTODIO_DUPLICADO, {"custodio": 1})
    otro = Custodio.nuevo(configuracion, 1, "Impostor").publicar_compromisos()
    with pytest.raises(ErrorCeremonia) as e:
        coordinador.recibir_compromisos(otro)
    assert e.value.motivo is Motivo.CUSTODIO_DUPLICADO
    for indice in (0, 6):
        with pytest.raises(ErrorCeremonia) as e:
            coordinador.recibir_compromisos(dataclasses.replace(en_curso.publicados[1], custodio=indice))
        assert e.value.motivo is Motivo.CUSTODIO_DESCONOCIDO


def test_custodio_detecta_que_alteraron_sus_propios_compromisos(en_curso: EnCurso) -> None:
    custodio, lista = en_curso.fresco(2)
    for alterado in (_compromiso_alterado(lista[1], 2), _prueba_alterada(lista[1], 1)):
        quejas = custodio.recibir_compromisos([lista[0], alterado, *lista[2:]])
        assert quejas == (Queja(2, 2, "registro_llaves_discrepante"),)


def test_custodio_restaurado_acepta_su_mensaje_publicado(en_curso: EnCurso) -> None:
    """Restaurado desde EstadoCustodio, el custodio 2 acepta el mensaje que publicó antes (otras pruebas)."""
    custodio, lista = en_curso.fresco(2)
    assert lista[1] != en_curso.publicados[1]
    assert custodio.recibir_compromisos(en_curso.publicados) == ()
    assert isinstance(custodio.recibir_comparticiones(en_curso.para(2)), ConfirmacionComparticiones)


def test_custodio_valida_su_estado(configuracion) -> None:
    coeficientes = tuple(G.aleatorio_q() for _ in range(K))
    for indice in (0, 6):
        with pytest.raises(ErrorCeremonia) as e:
            Custodio(configuracion, EstadoCustodio(indice, "x", coeficientes))
        assert e.value.motivo is Motivo.CUSTODIO_DESCONOCIDO
    with pytest.raises(ErrorCeremonia) as e:
        Custodio(configuracion, EstadoCustodio(1, "x", coeficientes[:2]))
    assert e.value.motivo is Motivo.PARAMETRO_INVALIDO


def test_construir_registro_exige_los_n_compromisos(configuracion, ceremonia) -> None:
    compromisos = ceremonia.registro.compromisos
    for incompletos in (compromisos[:4], compromisos[1:], (*compromisos[:4], compromisos[3])):
        with pytest.raises(ErrorCeremonia) as e:
            construir_registro(configuracion, incompletos)
        assert e.value.motivo is Motivo.CEREMONIA_FUERA_DE_ORDEN


# -- registro discrepante ----------------------------------------------------------------------------
CAMBIOS_REGISTRO = {
    "llave_conjunta": lambda r: dataclasses.replace(r, llave_conjunta=r.llave_conjunta * G.generador),
    "h_e": lambda r: dataclasses.replace(r, h_e=_voltear(r.h_e, 0)),
    "hash_registro": lambda r: dataclasses.replace(r, hash_registro=_voltear(r.hash_registro, 31)),
    "llaves_verificacion": lambda r: dataclasses.replace(
        r, llaves_verificacion=(*r.llaves_verificacion[:4], r.llaves_verificacion[4] * G.generador)
    ),
    "cuorum": lambda r: dataclasses.replace(r, cuorum=2),
    "custodios": lambda r: dataclasses.replace(r, custodios=6),
    "nombre de un custodio": lambda r: dataclasses.replace(
        r, compromisos=(dataclasses.replace(r.compromisos[0], nombre="X"), *r.compromisos[1:])
    ),
    "orden de compromisos": lambda r: dataclasses.replace(r, compromisos=tuple(reversed(r.compromisos))),
}


@pytest.mark.parametrize("campo", list(CAMBIOS_REGISTRO), ids=list(CAMBIOS_REGISTRO))
def test_registro_con_un_campo_cambiado(ceremonia, campo: str) -> None:
    custodio = ceremonia.custodios[2]
    alterado = CAMBIOS_REGISTRO[campo](ceremonia.registro)
    assert alterado != ceremonia.registro
    with pytest.raises(ErrorCeremonia) as e:
        custodio.confirmar_registro(alterado)
    assert e.value.motivo is Motivo.REGISTRO_LLAVES_DISCREPANTE
    assert e.value.detalles == {"custodio": 3}
    assert custodio.confirmar_registro(ceremonia.registro).hash_registro == ceremonia.registro.hash_registro


def test_confirmar_registro_exige_todas_las_comparticiones(configuracion, en_curso: EnCurso) -> None:
    custodio, lista = en_curso.fresco(4)
    assert custodio.recibir_compromisos(lista) == ()
    registro = construir_registro(configuracion, lista)
    with pytest.raises(ErrorCeremonia) as e:
        custodio.confirmar_registro(registro)
    assert e.value.motivo is Motivo.CEREMONIA_FUERA_DE_ORDEN
    assert isinstance(custodio.recibir_comparticiones(en_curso.para(4)), ConfirmacionComparticiones)
    assert custodio.confirmar_registro(registro).hash_registro == registro.hash_registro


def _coordinador_con_registro(en_curso: EnCurso) -> tuple[CoordinadorCeremonia, RegistroLlaves]:
    coordinador = en_curso.coordinador()
    for mensaje in en_curso.comparticiones.values():
        coordinador.recibir_comparticion(mensaje)
    for receptor in INDICES:
        coordinador.recibir_resultado_comparticiones(
            en_curso.custodios[receptor - 1].recibir_comparticiones(coordinador.comparticiones_para(receptor))
        )
    return coordinador, coordinador.registro()


def test_confirmacion_de_registro_discrepante_detiene(en_curso: EnCurso) -> None:
    coordinador, registro = _coordinador_con_registro(en_curso)
    coordinador.recibir_confirmacion_registro(ConfirmacionRegistro(1, registro.hash_registro))
    with pytest.raises(ErrorCeremonia) as e:
        coordinador.recibir_confirmacion_registro(
            ConfirmacionRegistro(2, _voltear(registro.hash_registro, 3))
        )
    assert e.value.motivo is Motivo.CEREMONIA_DETENIDA
    assert e.value.detalles == {"acusado": 0, "acusador": 2, "motivo_queja": "registro_llaves_discrepante"}
    with pytest.raises(ErrorCeremonia) as e:
        coordinador.finalizar()
    assert e.value.motivo is Motivo.CEREMONIA_DETENIDA


def test_finalizar_exige_las_n_confirmaciones_del_registro(en_curso: EnCurso) -> None:
    coordinador, registro = _coordinador_con_registro(en_curso)
    for custodio in (1, 2, 3, 5):
        coordinador.recibir_confirmacion_registro(ConfirmacionRegistro(custodio, registro.hash_registro))
    with pytest.raises(ErrorCeremonia) as e:
        coordinador.finalizar()
    assert e.value.motivo is Motivo.CEREMONIA_FUERA_DE_ORDEN
    coordinador.recibir_confirmacion_registro(ConfirmacionRegistro(4, registro.hash_registro))
    _, contexto = coordinador.finalizar()
    assert contexto.llave == registro.llave_conjunta


def test_confirmacion_de_comparticiones_de_un_receptor_inexistente(en_curso: EnCurso) -> None:
    coordinador = en_curso.coordinador()
    for receptor in (1, 2, 3, 4):
        coordinador.recibir_resultado_comparticiones(
            ConfirmacionComparticiones(receptor, tuple(e for e in INDICES if e != receptor))
        )
    try:
        coordinador.recibir_resultado_comparticiones(ConfirmacionComparticiones(99, (1, 2, 3, 4, 5)))
        coordinador.registro()
    except ErrorCeremonia:
        return
    raise AssertionError("se publicó el registro sin la confirmación del custodio 5")


def test_confirmacion_de_registro_de_un_custodio_inexistente_no_bloquea(en_curso: EnCurso) -> None:
    coordinador, registro = _coordinador_con_registro(en_curso)
    try:
        coordinador.recibir_confirmacion_registro(ConfirmacionRegistro(9, registro.hash_registro))
    except ErrorCeremonia as error:
        assert error.motivo is Motivo.CUSTODIO_DESCONOCIDO
    for custodio in INDICES:
        coordinador.recibir_confirmacion_registro(ConfirmacionRegistro(custodio, registro.hash_registro))
    _, contexto = coordinador.finalizar()
    assert contexto.llave == registro.llave_conjunta


def test_nombre_del_custodio_queda_en_el_registro(en_curso: EnCurso) -> None:
    """A renamed own message is a complaint, and a renamed custodian changes H_R (7.12)."""
    import dataclasses

    custodio, lista = en_curso.fresco(2)
    renombrado = dataclasses.replace(lista[1], nombre="Impostor")
    quejas = custodio.recibir_compromisos([lista[0], renombrado, *lista[2:]])
    assert quejas == (Queja(2, 2, "registro_llaves_discrepante"),)
    configuracion = custodio.configuracion
    original = construir_registro(configuracion, lista)
    otro = construir_registro(configuracion, [lista[0], renombrado, *lista[2:]])
    assert original.hash_registro != otro.hash_registro
