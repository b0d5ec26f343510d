"""Boletas (§8): cifrado y verificación, apertura de Benaloh, credenciales y cada mutación rechazada.

Cada prueba negativa cambia un solo campo de una boleta válida y comprueba el ``Motivo``
exacto y los detalles que localizan el error.  Cuando una mutación es detectable por más de
una comprobación, la prueba fija cuál responde primero y por qué.
"""

from __future__ import annotations

import dataclasses
import hashlib
import hmac
from typing import Any

import pytest

from vmre_crypto import (
    AperturaBoleta,
    BoletaCifrada,
    ConfiguracionEleccion,
    ContextoEleccion,
    ErrorBoleta,
    ErrorDecodificacion,
    ErrorVerificacion,
    ErrorVMRE,
    Motivo,
    SeleccionCifrada,
    abrir_boleta,
    ceremonia_en_proceso,
    cifrar_boleta,
    generar_credencial,
    hash_lista_credenciales,
    verificar_boleta,
)
from vmre_crypto.boletas import (
    abrir_selecciones,
    codigo_confirmacion,
    datos_auxiliares,
    hash_contienda,
    nonce_seleccion,
)
from vmre_crypto.primitivas.elgamal import agregar, cifrar
from vmre_crypto.primitivas.grupo import GRUPO_ESTANDAR
from vmre_crypto.primitivas.pruebas_zk.firma import FirmaSchnorr, firmar
from vmre_crypto.primitivas.pruebas_zk.rango import PruebaRango, probar_rango
from vmre_crypto.testing.azar import con_semilla

G = GRUPO_ESTANDAR
P, Q, GEN = int(G.p), int(G.q), int(G.g)


# -- ayudas ------------------------------------------------------------------------------------------
def _rechazo(
    contexto, boleta: BoletaCifrada, clase: type[ErrorVMRE] = ErrorVMRE, **opciones: Any
) -> ErrorVMRE:
    with pytest.raises(clase) as e:
        verificar_boleta(contexto, boleta, **opciones)
    return e.value


def _con_contienda(boleta: BoletaCifrada, posicion: int, **cambios: Any) -> BoletaCifrada:
    contiendas = list(boleta.contiendas)
    contiendas[posicion] = dataclasses.replace(contiendas[posicion], **cambios)
    return dataclasses.replace(boleta, contiendas=tuple(contiendas))


def _con_seleccion(boleta: BoletaCifrada, contienda: int, opcion: int, **cambios: Any) -> BoletaCifrada:
    selecciones = list(boleta.contiendas[contienda].selecciones)
    selecciones[opcion] = dataclasses.replace(selecciones[opcion], **cambios)
    return _con_contienda(boleta, contienda, selecciones=tuple(selecciones))


def _mas_uno(prueba: PruebaRango, campo: str, j: int) -> PruebaRango:
    valores = list(getattr(prueba, campo))
    valores[j] = valores[j] + 1
    return dataclasses.replace(prueba, **{campo: tuple(valores)})


def _refirmar(contexto, boleta: BoletaCifrada, credencial) -> BoletaCifrada:
    """Recalcula χ, el código de confirmación y la firma: aísla la mutación que se quiere probar."""
    contiendas = tuple(
        dataclasses.replace(
            c, hash_contienda=hash_contienda(contexto, c.indice, (s.cifrado for s in c.selecciones))
        )
        for c in boleta.contiendas
    )
    aux = datos_auxiliares(contexto, boleta.id_boleta, boleta.estilo, credencial.publica)
    codigo = codigo_confirmacion(contexto, (c.hash_contienda for c in contiendas), aux)
    firma = firmar(contexto.h_e, credencial.secreta, credencial.publica, codigo)
    return dataclasses.replace(
        boleta, contiendas=contiendas, codigo_confirmacion=codigo, credencial=credencial.publica, firma=firma
    )


@pytest.fixture(scope="module")
def jal(boletas_conocidas):
    """Boleta JAL (contiendas 2 y 4) con marcas {2: (1,), 4: (1, 3)}."""
    conocida = boletas_conocidas[2]
    assert conocida.estilo == "JAL" and conocida.marcas == {2: (1,), 4: (1, 3)}
    return conocida


@pytest.fixture(scope="module")
def chih(boletas_conocidas):
    conocida = boletas_conocidas[0]
    assert conocida.estilo == "CHIH" and conocida.marcas == {1: (2,)}
    return conocida


# -- camino feliz --------------------------------------------------------------------------------
def test_cada_boleta_conocida_verifica_y_se_abre(contexto, boletas_conocidas) -> None:
    estilos = {c.estilo for c in boletas_conocidas}
    assert estilos == {"CHIH", "JAL", "ZAC"}
    for conocida in boletas_conocidas:
        boleta = conocida.boleta
        verificar_boleta(contexto, boleta)
        assert [c.indice for c in boleta.contiendas] == list(
            contexto.manifiesto.estilo(conocida.estilo).contiendas
        )
        assert boleta.credencial == conocida.credencial.publica
        assert abrir_boleta(contexto, boleta, conocida.preparada.apertura()) == conocida.marcas


@pytest.mark.parametrize(
    ("estilo", "marcas"),
    [
        ("CHIH", {}),
        ("CHIH", {1: (1,)}),
        ("JAL", {4: (2, 4)}),
        ("JAL", {2: (9,), 4: ()}),
        ("ZAC", {3: (10,)}),
    ],
)
def test_cifrar_verificar_abrir_por_estilo(contexto, credenciales, estilo: str, marcas: dict) -> None:
    preparada = cifrar_boleta(contexto, estilo, marcas, credenciales[-1])
    verificar_boleta(contexto, preparada.boleta)
    esperado = {c: tuple(marcas.get(c, ())) for c in contexto.manifiesto.estilo(estilo).contiendas}
    assert abrir_boleta(contexto, preparada.boleta, preparada.apertura()) == esperado


def test_cifrados_son_los_de_la_ecuacion_5_1(contexto, jal) -> None:
    """α = g^ξ y β = K^(σ+ξ) con ξ = H(H_E; 0x20 ∥ ξ_B ∥ b(c,4) ∥ b(o,4)) mod q, calculado con hmac."""
    llave = int(contexto.llave)
    for contienda in jal.boleta.contiendas:
        for opcion, seleccion in enumerate(contienda.selecciones, start=1):
            datos = (
                b"\x20"
                + jal.preparada.nonce_boleta
                + contienda.indice.to_bytes(4, "big")
                + opcion.to_bytes(4, "big")
            )
            xi = int.from_bytes(hmac.new(contexto.h_e, datos, hashlib.sha256).digest(), "big") % Q
            assert int(nonce_seleccion(contexto, jal.preparada.nonce_boleta, contienda.indice, opcion)) == xi
            sigma = 1 if opcion in jal.marcas[contienda.indice] else 0
            assert int(seleccion.cifrado.alfa) == pow(GEN, xi, P)
            assert int(seleccion.cifrado.beta) == pow(llave, sigma + xi, P)


def test_codigo_de_confirmacion_recalculado_a_mano(contexto, jal) -> None:
    """Ecuaciones (8.4)–(8.6) con bytes concatenados a mano."""
    boleta, h_e = jal.boleta, contexto.h_e
    k = int(contexto.llave).to_bytes(512, "big")
    chis = []
    for contienda in boleta.contiendas:
        datos = b"\x23" + contienda.indice.to_bytes(4, "big") + k
        for s in contienda.selecciones:
            datos += int(s.cifrado.alfa).to_bytes(512, "big") + int(s.cifrado.beta).to_bytes(512, "big")
        chi = hmac.new(h_e, datos, hashlib.sha256).digest()
        assert contienda.hash_contienda == chi
        chis.append(chi)
    x = int(boleta.credencial).to_bytes(512, "big")
    aux = b"".join(len(t.encode()).to_bytes(4, "big") + t.encode() for t in (boleta.id_boleta, boleta.estilo))
    aux += len(x).to_bytes(4, "big") + x
    datos = b"\x24" + b"".join(chis) + len(aux).to_bytes(4, "big") + aux
    assert boleta.codigo_confirmacion == hmac.new(h_e, datos, hashlib.sha256).digest()


def test_mismo_nonce_mismo_codigo(contexto, credenciales) -> None:
    """El código depende solo de los cifrados y de B_aux.

    Mismo ξ_B e id → mismo código; las pruebas (con nonces propios) difieren.
    """
    nonce, id_boleta = bytes(range(32)), "ID-FIJO"
    a = cifrar_boleta(
        contexto, "ZAC", {3: (4,)}, credenciales[0], id_boleta=id_boleta, nonce_boleta=nonce
    ).boleta
    b = cifrar_boleta(
        contexto, "ZAC", {3: (4,)}, credenciales[0], id_boleta=id_boleta, nonce_boleta=nonce
    ).boleta
    assert a.codigo_confirmacion == b.codigo_confirmacion
    assert a.contiendas[0].selecciones[0].prueba != b.contiendas[0].selecciones[0].prueba
    c = cifrar_boleta(
        contexto, "ZAC", {3: (5,)}, credenciales[0], id_boleta=id_boleta, nonce_boleta=nonce
    ).boleta
    assert c.codigo_confirmacion != a.codigo_confirmacion
    with pytest.raises(ValueError):
        cifrar_boleta(contexto, "ZAC", {3: (4,)}, nonce_boleta=bytes(31))


def test_ids_y_nonces_aleatorios_son_distintos(contexto) -> None:
    a = cifrar_boleta(contexto, "CHIH", {1: (1,)})
    b = cifrar_boleta(contexto, "CHIH", {1: (1,)})
    assert a.boleta.id_boleta != b.boleta.id_boleta and len(a.boleta.id_boleta) == 32
    assert a.nonce_boleta != b.nonce_boleta and len(a.nonce_boleta) == 32
    assert a.boleta.codigo_confirmacion != b.boleta.codigo_confirmacion


# -- Benaloh -----------------------------------------------------------------------------------------
def test_apertura_con_nonce_equivocado(contexto, jal) -> None:
    mala = AperturaBoleta(jal.boleta.id_boleta, bytes(32))
    with pytest.raises(ErrorVerificacion) as e:
        abrir_boleta(contexto, jal.boleta, mala)
    assert e.value.motivo is Motivo.APERTURA_INVALIDA
    assert e.value.detalles == {"boleta": jal.boleta.id_boleta, "contienda": 2, "opcion": 1}


def test_apertura_con_id_equivocado_o_nonce_corto(contexto, jal, chih) -> None:
    nonce = jal.preparada.nonce_boleta
    for mala in (
        AperturaBoleta(chih.boleta.id_boleta, nonce),
        AperturaBoleta(jal.boleta.id_boleta + "0", nonce),
        AperturaBoleta(jal.boleta.id_boleta, nonce[:31]),
        AperturaBoleta(jal.boleta.id_boleta, nonce + b"\x00"),
    ):
        with pytest.raises(ErrorVerificacion) as e:
            abrir_boleta(contexto, jal.boleta, mala)
        assert e.value.motivo is Motivo.APERTURA_INVALIDA


def test_apertura_de_otra_boleta(contexto, jal, boletas_conocidas) -> None:
    otra = boletas_conocidas[3]
    assert otra.estilo == "JAL"
    with pytest.raises(ErrorVerificacion) as e:
        abrir_boleta(contexto, jal.boleta, AperturaBoleta(jal.boleta.id_boleta, otra.preparada.nonce_boleta))
    assert e.value.motivo is Motivo.APERTURA_INVALIDA


def test_apertura_detecta_alfa_que_no_es_g_a_la_xi(contexto, chih) -> None:
    """β = K^(ξ+σ) correcto pero α ≠ g^ξ: el cifrado descifraría a otro valor, así que la apertura falla."""
    s = chih.boleta.contiendas[0].selecciones[1]
    otro = dataclasses.replace(s.cifrado, alfa=s.cifrado.alfa * G.generador)
    alterada = _con_seleccion(chih.boleta, 0, 1, cifrado=otro)
    with pytest.raises(ErrorVerificacion) as e:
        abrir_selecciones(contexto, alterada, chih.preparada.apertura())
    assert e.value.motivo is Motivo.APERTURA_INVALIDA
    assert (e.value.detalles["contienda"], e.value.detalles["opcion"]) == (1, 2)
    # abrir_boleta verifies the ballot first (§11.7): the altered selection fails its range proof.
    with pytest.raises(ErrorVerificacion) as e:
        abrir_boleta(contexto, alterada, chih.preparada.apertura())
    assert e.value.motivo is Motivo.RANGO_INVALIDA


def test_apertura_detecta_un_cifrado_que_no_es_0_ni_1(contexto, chih) -> None:
    """Un dispositivo tramposo que cifró 2 con el nonce derivado queda expuesto al abrir."""
    nonce = chih.preparada.nonce_boleta
    xi = nonce_seleccion(contexto, nonce, 1, 4)
    alterada = _con_seleccion(chih.boleta, 0, 3, cifrado=cifrar(contexto.llave, 2, xi))
    with pytest.raises(ErrorVerificacion) as e:
        abrir_selecciones(contexto, alterada, chih.preparada.apertura())
    assert e.value.motivo is Motivo.APERTURA_INVALIDA and e.value.detalles["opcion"] == 4
    with pytest.raises(ErrorVerificacion) as e:
        abrir_boleta(contexto, alterada, chih.preparada.apertura())
    assert e.value.motivo is Motivo.RANGO_INVALIDA


# -- mutaciones de un solo campo -----------------------------------------------------------------------
@pytest.mark.parametrize(("contienda", "opcion"), [(0, 0), (0, 8), (1, 3)])
@pytest.mark.parametrize("campo", ["respuestas", "retos"])
def test_prueba_de_seleccion_alterada(contexto, jal, contienda: int, opcion: int, campo: str) -> None:
    seleccion = jal.boleta.contiendas[contienda].selecciones[opcion]
    alterada = _con_seleccion(jal.boleta, contienda, opcion, prueba=_mas_uno(seleccion.prueba, campo, 1))
    error = _rechazo(contexto, alterada, ErrorVerificacion)
    assert error.motivo is Motivo.RANGO_INVALIDA
    indice = jal.boleta.contiendas[contienda].indice
    assert error.detalles == {"boleta": jal.boleta.id_boleta, "contienda": indice, "opcion": opcion + 1}


def test_prueba_de_seleccion_con_cota_2(contexto, jal) -> None:
    """Una prueba 0..2 válida para su cifrado no sirve como prueba 0..1 (V-R1)."""
    xi = G.aleatorio_q()
    cifrado = cifrar(contexto.llave, 1, xi)
    prueba = probar_rango(contexto.h_e, contexto.llave, cifrado, xi, 1, 2)
    alterada = _con_seleccion(jal.boleta, 0, 0, cifrado=cifrado, prueba=prueba)
    error = _rechazo(contexto, alterada, ErrorVerificacion)
    assert (error.motivo, error.detalles["opcion"]) == (Motivo.RANGO_INVALIDA, 1)


def test_selecciones_intercambiadas(contexto, jal) -> None:
    """Intercambiar dos selecciones completas (cifrado + prueba) da HASH_CONTIENDA_INVALIDO.

    Cada prueba 0/1 sigue ligada a su propio cifrado (su reto no incluye el índice de la
    opción) y el producto de la contienda no cambia, así que las pruebas de rango y de límite
    verifican; lo que liga cada cifrado a su opción es χ (8.4), que cubre los cifrados en orden.
    """
    selecciones = list(jal.boleta.contiendas[1].selecciones)
    selecciones[0], selecciones[1] = selecciones[1], selecciones[0]
    alterada = _con_contienda(jal.boleta, 1, selecciones=tuple(selecciones))
    error = _rechazo(contexto, alterada, ErrorVerificacion)
    assert error.motivo is Motivo.HASH_CONTIENDA_INVALIDO
    assert error.detalles == {"boleta": jal.boleta.id_boleta, "contienda": 4}


def test_cifrados_intercambiados_sin_sus_pruebas(contexto, jal) -> None:
    """Si solo se intercambian los cifrados, cada prueba queda sobre un cifrado ajeno: RANGO_INVALIDA."""
    s = jal.boleta.contiendas[1].selecciones
    selecciones = (
        SeleccionCifrada(s[1].cifrado, s[0].prueba),
        SeleccionCifrada(s[0].cifrado, s[1].prueba),
        *s[2:],
    )
    error = _rechazo(contexto, _con_contienda(jal.boleta, 1, selecciones=selecciones), ErrorVerificacion)
    assert error.motivo is Motivo.RANGO_INVALIDA
    assert (error.detalles["contienda"], error.detalles["opcion"]) == (4, 1)


def test_intercambio_con_chi_recalculado_cambia_el_codigo(contexto, jal) -> None:
    """Con χ recalculado el código de confirmación ya no coincide: la cadena de hashes se sostiene."""
    s = jal.boleta.contiendas[1].selecciones
    selecciones = (s[1], s[0], *s[2:])
    chi = hash_contienda(contexto, 4, (x.cifrado for x in selecciones))
    alterada = _con_contienda(jal.boleta, 1, selecciones=selecciones, hash_contienda=chi)
    assert _rechazo(contexto, alterada, ErrorVerificacion).motivo is Motivo.CODIGO_CONFIRMACION_INVALIDO
    # Y con el código recalculado, la firma del elector ya no cubre la boleta.
    aux = datos_auxiliares(contexto, alterada.id_boleta, alterada.estilo, alterada.credencial)
    codigo = codigo_confirmacion(contexto, (c.hash_contienda for c in alterada.contiendas), aux)
    alterada = dataclasses.replace(alterada, codigo_confirmacion=codigo)
    assert _rechazo(contexto, alterada, ErrorVerificacion).motivo is Motivo.FIRMA_CREDENCIAL_INVALIDA


@pytest.mark.parametrize(
    "reemplazo",
    ["respuesta alterada", "prueba de otra contienda", "prueba de otra boleta", "cota equivocada"],
)
def test_prueba_de_limite_equivocada(contexto, jal, boletas_conocidas, reemplazo: str) -> None:
    actual = jal.boleta.contiendas[1].prueba_limite
    otra = {
        "respuesta alterada": lambda: _mas_uno(actual, "respuestas", 0),
        "prueba de otra contienda": lambda: jal.boleta.contiendas[0].prueba_limite,
        "prueba de otra boleta": lambda: boletas_conocidas[5].boleta.contiendas[1].prueba_limite,
        "cota equivocada": lambda: PruebaRango(actual.retos[:2], actual.respuestas[:2]),
    }[reemplazo]()
    assert otra != actual
    error = _rechazo(contexto, _con_contienda(jal.boleta, 1, prueba_limite=otra), ErrorVerificacion)
    assert error.motivo is Motivo.RANGO_INVALIDA
    assert error.detalles == {"boleta": jal.boleta.id_boleta, "contienda": 4}


def test_no_se_puede_cifrar_mas_del_limite(contexto, credenciales) -> None:
    for estilo, marcas, contienda in [("CHIH", {1: (1, 2)}, 1), ("JAL", {2: (1,), 4: (1, 2, 3)}, 4)]:
        with pytest.raises(ErrorBoleta) as e:
            cifrar_boleta(contexto, estilo, marcas, credenciales[0])
        assert e.value.motivo is Motivo.LIMITE_EXCEDIDO
        assert e.value.detalles == {"contienda": contienda}


def test_boleta_falsificada_con_dos_marcas(contexto, credenciales, chih) -> None:
    """Dos 1 con pruebas 0/1 válidas en una contienda de límite 1: ninguna prueba de límite sirve."""
    h_e, llave = contexto.h_e, contexto.llave
    valores = [1, 1] + [0] * 8
    nonces = [G.aleatorio_q() for _ in valores]
    cifrados = [cifrar(llave, v, xi) for v, xi in zip(valores, nonces, strict=True)]
    selecciones = tuple(
        SeleccionCifrada(c, probar_rango(h_e, llave, c, xi, v, 1))
        for c, xi, v in zip(cifrados, nonces, valores, strict=True)
    )
    producto = agregar(G, cifrados)
    xi_total = sum(nonces[1:], start=nonces[0])
    # El probador honesto se niega a probar 2 ∈ [0, 1].
    with pytest.raises(ValueError):
        probar_rango(h_e, llave, producto, xi_total, 2, 1)
    # Intentos de falsificación: reutilizar la prueba de límite de otra boleta o mentir sobre el valor.
    intentos = {
        "prueba ajena": chih.boleta.contiendas[0].prueba_limite,
        "valor mentido": probar_rango(h_e, llave, producto, xi_total, 1, 1),
    }
    for nombre, prueba_limite in intentos.items():
        contienda = dataclasses.replace(
            chih.boleta.contiendas[0], selecciones=selecciones, prueba_limite=prueba_limite
        )
        falsa = _refirmar(
            contexto, dataclasses.replace(chih.boleta, contiendas=(contienda,)), credenciales[0]
        )
        error = _rechazo(contexto, falsa, ErrorVerificacion)
        assert error.motivo is Motivo.RANGO_INVALIDA, nombre
        assert error.detalles == {"boleta": falsa.id_boleta, "contienda": 1}, nombre
    # Contraprueba: la misma construcción con una sola marca y su prueba honesta sí verifica.
    honestos = [cifrar(llave, v, xi) for v, xi in zip([1] + [0] * 9, nonces, strict=True)]
    contienda = dataclasses.replace(
        chih.boleta.contiendas[0],
        selecciones=tuple(
            SeleccionCifrada(c, probar_rango(h_e, llave, c, xi, v, 1))
            for c, xi, v in zip(honestos, nonces, [1] + [0] * 9, strict=True)
        ),
        prueba_limite=probar_rango(h_e, llave, agregar(G, honestos), xi_total, 1, 1),
    )
    verificar_boleta(
        contexto,
        _refirmar(contexto, dataclasses.replace(chih.boleta, contiendas=(contienda,)), credenciales[0]),
    )


def test_codigo_de_confirmacion_cambiado(contexto, jal) -> None:
    codigo = bytearray(jal.boleta.codigo_confirmacion)
    codigo[0] ^= 0x80
    error = _rechazo(
        contexto, dataclasses.replace(jal.boleta, codigo_confirmacion=bytes(codigo)), ErrorVerificacion
    )
    assert error.motivo is Motivo.CODIGO_CONFIRMACION_INVALIDO
    assert error.detalles == {"boleta": jal.boleta.id_boleta}


def test_hash_de_contienda_cambiado(contexto, jal) -> None:
    chi = bytearray(jal.boleta.contiendas[0].hash_contienda)
    chi[-1] ^= 1
    error = _rechazo(contexto, _con_contienda(jal.boleta, 0, hash_contienda=bytes(chi)), ErrorVerificacion)
    assert (error.motivo, error.detalles["contienda"]) == (Motivo.HASH_CONTIENDA_INVALIDO, 2)


def test_id_de_boleta_cambiado(contexto, jal) -> None:
    error = _rechazo(contexto, dataclasses.replace(jal.boleta, id_boleta="OTRO"), ErrorVerificacion)
    assert error.motivo is Motivo.CODIGO_CONFIRMACION_INVALIDO
    assert error.detalles == {"boleta": "OTRO"}


def test_estilo_cambiado_por_otro_existente(contexto, chih) -> None:
    """CHIH → ZAC: la boleta trae la contienda 1 y el estilo ZAC exige la 3 (V-B1)."""
    error = _rechazo(contexto, dataclasses.replace(chih.boleta, estilo="ZAC"), ErrorBoleta)
    assert error.motivo is Motivo.BOLETA_NO_CORRESPONDE_AL_MANIFIESTO


def test_estilo_cambiado_con_contiendas_reetiquetadas(contexto, chih) -> None:
    """CHIH → ZAC con la contienda renumerada a 3 (ambas tienen 10 opciones y límite 1).

    Las pruebas de rango y de límite siguen verificando porque su reto no incluye el índice
    de la contienda; lo detecta χ (8.4), que sí incluye b(ind_c, 4).
    """
    alterada = _con_contienda(dataclasses.replace(chih.boleta, estilo="ZAC"), 0, indice=3)
    error = _rechazo(contexto, alterada, ErrorVerificacion)
    assert (error.motivo, error.detalles["contienda"]) == (Motivo.HASH_CONTIENDA_INVALIDO, 3)


def test_estilo_inexistente(contexto, chih) -> None:
    error = _rechazo(contexto, dataclasses.replace(chih.boleta, estilo="SON"), ErrorBoleta)
    assert error.motivo is Motivo.BOLETA_NO_CORRESPONDE_AL_MANIFIESTO
    assert error.detalles == {"boleta": chih.boleta.id_boleta}


def test_contienda_o_seleccion_faltante(contexto, jal) -> None:
    sin_contienda = dataclasses.replace(jal.boleta, contiendas=jal.boleta.contiendas[:1])
    error = _rechazo(contexto, sin_contienda, ErrorBoleta)
    assert error.motivo is Motivo.BOLETA_NO_CORRESPONDE_AL_MANIFIESTO
    sin_seleccion = _con_contienda(jal.boleta, 0, selecciones=jal.boleta.contiendas[0].selecciones[:-1])
    error = _rechazo(contexto, sin_seleccion, ErrorBoleta)
    assert error.motivo is Motivo.BOLETA_NO_CORRESPONDE_AL_MANIFIESTO
    assert error.detalles == {"boleta": jal.boleta.id_boleta, "contienda": 2}
    desordenada = dataclasses.replace(jal.boleta, contiendas=tuple(reversed(jal.boleta.contiendas)))
    assert _rechazo(contexto, desordenada, ErrorBoleta).motivo is Motivo.BOLETA_NO_CORRESPONDE_AL_MANIFIESTO


# -- credenciales ------------------------------------------------------------------------------------
def test_boleta_sin_credencial(contexto) -> None:
    boleta = cifrar_boleta(contexto, "CHIH", {1: (5,)}).boleta
    assert boleta.credencial is None and boleta.firma is None
    error = _rechazo(contexto, boleta, ErrorVerificacion)
    assert error.motivo is Motivo.FIRMA_CREDENCIAL_INVALIDA
    verificar_boleta(contexto, boleta, exigir_credencial=False)


def test_credencial_sin_firma_o_firma_sin_credencial(contexto, jal) -> None:
    sin_firma = dataclasses.replace(jal.boleta, firma=None)
    for exigir in (True, False):
        error = _rechazo(contexto, sin_firma, ErrorVerificacion, exigir_credencial=exigir)
        assert error.motivo is Motivo.FIRMA_CREDENCIAL_INVALIDA
    anonima = cifrar_boleta(contexto, "CHIH", {1: (5,)}).boleta
    con_firma = dataclasses.replace(anonima, firma=jal.boleta.firma)
    error = _rechazo(contexto, con_firma, ErrorVerificacion, exigir_credencial=False)
    assert error.motivo is Motivo.FIRMA_CREDENCIAL_INVALIDA


def test_credencial_ajena(contexto, jal, credenciales) -> None:
    """B_aux incluye X: cambiar la credencial cambia el código; con el código recalculado, falla la firma."""
    ajena = credenciales[-1].publica
    cambiada = dataclasses.replace(jal.boleta, credencial=ajena)
    assert _rechazo(contexto, cambiada, ErrorVerificacion).motivo is Motivo.CODIGO_CONFIRMACION_INVALIDO
    aux = datos_auxiliares(contexto, jal.boleta.id_boleta, jal.boleta.estilo, ajena)
    codigo = codigo_confirmacion(contexto, (c.hash_contienda for c in jal.boleta.contiendas), aux)
    cambiada = dataclasses.replace(cambiada, codigo_confirmacion=codigo)
    error = _rechazo(contexto, cambiada, ErrorVerificacion)
    assert (error.motivo, error.detalles) == (
        Motivo.FIRMA_CREDENCIAL_INVALIDA,
        {"boleta": jal.boleta.id_boleta},
    )


def test_firma_de_otra_credencial(contexto, jal, credenciales) -> None:
    otra = credenciales[-1]
    firma = firmar(contexto.h_e, otra.secreta, otra.publica, jal.boleta.codigo_confirmacion)
    error = _rechazo(contexto, dataclasses.replace(jal.boleta, firma=firma), ErrorVerificacion)
    assert error.motivo is Motivo.FIRMA_CREDENCIAL_INVALIDA
    # Contraprueba: la firma nueva sí corresponde a la otra credencial sobre el mismo código.
    verificar_boleta(contexto, _refirmar(contexto, jal.boleta, otra))


@pytest.mark.parametrize("campo", ["reto", "respuesta"])
def test_firma_alterada(contexto, jal, campo: str) -> None:
    firma = dataclasses.replace(jal.boleta.firma, **{campo: getattr(jal.boleta.firma, campo) + 1})
    error = _rechazo(contexto, dataclasses.replace(jal.boleta, firma=firma), ErrorVerificacion)
    assert error.motivo is Motivo.FIRMA_CREDENCIAL_INVALIDA


def test_firma_de_otra_eleccion(contexto, jal) -> None:
    credencial = jal.credencial
    firma = firmar(bytes(32), credencial.secreta, credencial.publica, jal.boleta.codigo_confirmacion)
    assert isinstance(firma, FirmaSchnorr)
    error = _rechazo(contexto, dataclasses.replace(jal.boleta, firma=firma), ErrorVerificacion)
    assert error.motivo is Motivo.FIRMA_CREDENCIAL_INVALIDA


def test_hash_lista_credenciales(contexto, credenciales) -> None:
    """Ecuación (8.9): independiente del orden, sensible a cada credencial, recalculada a mano."""
    publicas = [c.publica for c in credenciales]
    h = hash_lista_credenciales(contexto.h_p, publicas)
    assert h == hash_lista_credenciales(contexto.h_p, reversed(publicas))
    assert h != hash_lista_credenciales(contexto.h_p, publicas[1:])
    assert h != hash_lista_credenciales(contexto.h_p, [*publicas[:-1], generar_credencial(G).publica])
    ordenadas = sorted(int(x) for x in publicas)
    datos = b"\x51" + len(ordenadas).to_bytes(4, "big") + b"".join(x.to_bytes(512, "big") for x in ordenadas)
    assert h == hmac.new(contexto.h_p, datos, hashlib.sha256).digest()
    with pytest.raises(ValueError):
        hash_lista_credenciales(contexto.h_p, [])


def test_credencial_es_g_a_la_x(credenciales) -> None:
    for c in credenciales:
        assert int(c.publica) == pow(GEN, int(c.secreta), P) and int(c.secreta) != 0


# -- otra elección -----------------------------------------------------------------------------------
def test_boleta_verificada_con_otro_contexto(configuracion, contexto, jal) -> None:
    with con_semilla("vmre-pruebas/otra-ceremonia"):
        _, _, otro = ceremonia_en_proceso(configuracion)
    assert otro.llave != contexto.llave
    error = _rechazo(otro, jal.boleta, ErrorVerificacion)
    assert error.motivo is Motivo.RANGO_INVALIDA
    assert (error.detalles["contienda"], error.detalles["opcion"]) == (2, 1)
    # Misma llave, otro H_E (otra fecha): también falla; las pruebas están ligadas a H_E.
    otra_configuracion = ConfiguracionEleccion(
        5, 3, "2030-01-01", configuracion.info, configuracion.manifiesto
    )
    mismo_k = ContextoEleccion.crear(otra_configuracion, contexto.llave)
    assert mismo_k.h_e != contexto.h_e
    assert _rechazo(mismo_k, jal.boleta, ErrorVerificacion).motivo is Motivo.RANGO_INVALIDA


# -- selecciones inválidas al cifrar -----------------------------------------------------------------
@pytest.mark.parametrize(
    ("estilo", "marcas", "motivo", "detalles"),
    [
        ("CHIH", {1: (11,)}, Motivo.SELECCION_INVALIDA, {"contienda": 1, "opcion": 11}),
        ("CHIH", {1: (0,)}, Motivo.SELECCION_INVALIDA, {"contienda": 1, "opcion": 0}),
        ("JAL", {4: (5,)}, Motivo.SELECCION_INVALIDA, {"contienda": 4, "opcion": 5}),
        ("JAL", {4: (2, 2)}, Motivo.SELECCION_INVALIDA, {"contienda": 4}),
        ("CHIH", {1: (3, 3)}, Motivo.SELECCION_INVALIDA, {"contienda": 1}),
        ("CHIH", {2: (1,)}, Motivo.BOLETA_NO_CORRESPONDE_AL_MANIFIESTO, {"contienda": 2}),
        ("JAL", {1: (1,), 3: (1,)}, Motivo.BOLETA_NO_CORRESPONDE_AL_MANIFIESTO, {"contienda": 1}),
    ],
)
def test_selecciones_invalidas_no_se_cifran(contexto, estilo, marcas, motivo: Motivo, detalles) -> None:
    with pytest.raises(ErrorBoleta) as e:
        cifrar_boleta(contexto, estilo, marcas)
    assert e.value.motivo is motivo
    assert e.value.detalles == detalles


def test_estilo_inexistente_no_se_cifra(contexto) -> None:
    with pytest.raises(ErrorDecodificacion) as e:
        cifrar_boleta(contexto, "SON", {})
    assert e.value.motivo is Motivo.PARAMETRO_INVALIDO


# -- secretos fuera de repr ----------------------------------------------------------------------------
def _formas(valor: int | bytes) -> list[str]:
    if isinstance(valor, bytes):
        return [valor.hex(), valor.hex().upper(), str(int.from_bytes(valor, "big"))]
    return [format(valor, "x"), format(valor, "X"), format(valor, "064X"), str(valor)]


def _sin_secretos(texto: str, secretos: list[int | bytes]) -> None:
    for secreto in secretos:
        for forma in _formas(secreto):
            assert forma[:16] not in texto, "el secreto (o su prefijo) aparece en repr"


def test_repr_no_muestra_secretos(ceremonia, jal, credenciales) -> None:
    preparada, credencial = jal.preparada, credenciales[0]
    custodio = ceremonia.custodios[0]
    llave = custodio.llave()
    casos: list[tuple[object, list[int | bytes]]] = [
        (preparada, [preparada.nonce_boleta]),
        (credencial, [int(credencial.secreta)]),
        (llave, [int(llave.comparticion)]),
        (custodio.estado, [int(a) for a in custodio.estado.coeficientes]),
        (custodio, [int(a) for a in custodio.estado.coeficientes] + [int(llave.comparticion)]),
    ]
    for objeto, secretos in casos:
        for texto in (repr(objeto), str(objeto), f"{objeto!r}", repr([objeto]), repr({"x": objeto})):
            _sin_secretos(texto, secretos)
    assert "oculta" in repr(llave) and "oculta" in repr(credencial) and "oculto" in repr(preparada)
    assert repr(preparada.boleta.id_boleta) in repr(preparada)


def test_errores_no_muestran_el_nonce(contexto, jal) -> None:
    mala = AperturaBoleta(jal.boleta.id_boleta, bytes(32))
    with pytest.raises(ErrorVerificacion) as e:
        abrir_boleta(contexto, jal.boleta, mala)
    _sin_secretos(str(e.value) + repr(e.value.como_dict()), [jal.preparada.nonce_boleta])
