"""Ceremonia de llaves 5 de 3 y sus piezas (verificación de compromisos, comparticiones, registro)."""

from __future__ import annotations

from typing import Any

from benchmarks import escenario as esc
from vmre_crypto import ceremonia_en_proceso, construir_registro, verificar_compromisos
from vmre_crypto.primitivas.cifrado_comparticion import cifrar_comparticion, descifrar_comparticion
from vmre_crypto.primitivas.shamir import Polinomio, evaluar_compromisos


def test_ceremonia_5_de_3(anotar: Any, gubernatura: esc.Eleccion) -> None:
    """Todo: compromisos, Schnorr, verificación cruzada, comparticiones, Feldman, registro y confirmaciones."""
    config = gubernatura.configuracion
    config.grupo().tabla(config.grupo().g)  # la tabla de g ya está en caché, como en producción
    custodios, registro, contexto = anotar.pedantic(ceremonia_en_proceso, args=(config,), rounds=3, warmup_rounds=0)
    assert registro.llave_conjunta == contexto.llave
    esc.comprobar_ceremonia(custodios, contexto)


def test_construir_registro(anotar: Any, gubernatura: esc.Eleccion) -> None:
    """Se calcula 6 veces por ceremonia (coordinador + cada custodio): 25 multiexponenciaciones pequeñas."""
    registro = gubernatura.registro
    assert anotar(construir_registro, gubernatura.configuracion, registro.compromisos) == registro


def test_verificar_compromisos_de_un_custodio(anotar: Any, gubernatura: esc.Eleccion) -> None:
    """k = 3 pruebas de Schnorr de un custodio (cada custodio hace esto 4 veces; el coordinador 5)."""
    mensaje = gubernatura.registro.compromisos[1]
    anotar(verificar_compromisos, gubernatura.configuracion, mensaje)


def test_evaluar_compromisos(anotar: Any, gubernatura: esc.Eleccion) -> None:
    """Lado derecho de Feldman (7.3) para ℓ = 5: ∏_j K_ij^(5^j)."""
    grupo = gubernatura.contexto.grupo
    polinomio = Polinomio.aleatorio(grupo, esc.CUORUM)
    compromisos = polinomio.compromisos()
    assert anotar(evaluar_compromisos, compromisos, 5) == grupo.g_a_la(polinomio.evaluar(5))


def test_cifrar_y_descifrar_comparticion(anotar: Any, gubernatura: esc.Eleccion) -> None:
    """Una compartición: cifrado (g^ξ, K_ℓ^ξ) y descifrado con powmod_sec, con MAC."""
    grupo = gubernatura.contexto.grupo
    h_p = gubernatura.configuracion.h_p
    receptor = Polinomio.aleatorio(grupo, esc.CUORUM)
    secreto = receptor.coeficientes[0]
    publica = grupo.g_a_la(secreto)
    valor = grupo.aleatorio_q()

    def ida_y_vuelta() -> Any:
        cifrado = cifrar_comparticion(h_p, 1, 2, publica, valor)
        return descifrar_comparticion(h_p, 1, 2, secreto, publica, cifrado)

    assert anotar(ida_y_vuelta) == valor
