"""Aritmética de enteros grandes sobre gmpy2 (capa más baja).

Todo el cómputo modular de la biblioteca pasa por aquí.  Nada en este módulo conoce
el grupo de ElectionGuard: recibe módulos y bases como enteros.  §2.4 de la
especificación describe las técnicas (tablas de base fija, multiexponenciación y la
prueba de pertenencia por lotes) y por qué son correctas.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Sequence

import gmpy2
from gmpy2 import mpz

__all__ = [
    "TablaBaseFija",
    "aleatorio_bajo",
    "bits_aleatorios",
    "bytes_aleatorios",
    "inverso",
    "jacobi",
    "mpz",
    "multiexp",
    "potencia",
    "potencia_secreta",
    "potencias_misma_base",
]


def potencia(base: mpz, exponente: mpz | int, modulo: mpz) -> mpz:
    """base^exponente mod modulo para exponentes públicos."""
    return gmpy2.powmod(base, exponente, modulo)


def potencia_secreta(base: mpz, exponente: mpz | int, modulo: mpz) -> mpz:
    """Exponenciación de tiempo constante (GMP ``mpz_powm_sec``) para secretos de larga vida.

    Se usa con todo exponente cuya filtración revelaría un secreto de larga vida: llaves y
    coeficientes de custodios, los nonces de sus pruebas, del cifrado de comparticiones y
    del descifrado parcial, y la llave y el nonce de firma de la credencial (§2.4.4).
    """
    exponente = mpz(exponente)
    if exponente == 0:
        return mpz(1) % modulo
    return gmpy2.powmod_sec(base, exponente, modulo)


def inverso(x: mpz, modulo: mpz) -> mpz:
    return gmpy2.invert(x, modulo)


def jacobi(x: mpz, modulo: mpz) -> int:
    return int(gmpy2.jacobi(x, modulo))


class FuenteDeterminista:
    """Generador determinista HMAC-SHA-256 en modo contador.  SOLO para pruebas y ejemplos.

    Lo instala ``vmre_crypto.testing.azar.con_semilla`` para producir registros de ejemplo
    reproducibles (``vmre ejemplo --semilla``).  Nunca se usa en una elección real.
    """

    def __init__(self, semilla: bytes) -> None:
        self._clave = hashlib.sha256(b"vmre-semilla-de-prueba" + semilla).digest()
        self._contador = 0

    def bits(self, n: int) -> int:
        salida = b""
        while len(salida) * 8 < n:
            self._contador += 1
            salida += hmac.new(self._clave, self._contador.to_bytes(8, "big"), hashlib.sha256).digest()
        return int.from_bytes(salida, "big") >> (len(salida) * 8 - n)

    def bajo(self, cota: int) -> int:
        n = max(1, cota.bit_length())
        while True:
            x = self.bits(n)
            if x < cota:
                return x


_fuente_de_prueba: FuenteDeterminista | None = None


def _instalar_fuente_de_prueba(fuente: FuenteDeterminista | None) -> FuenteDeterminista | None:
    """Puerta de prueba: instala (o quita, con None) la fuente determinista; devuelve la anterior."""
    global _fuente_de_prueba
    anterior, _fuente_de_prueba = _fuente_de_prueba, fuente
    return anterior


def aleatorio_bajo(cota: mpz | int) -> mpz:
    """Entero uniforme en [0, cota) tomado de ``secrets`` (única fuente de azar en producción)."""
    if _fuente_de_prueba is not None:
        return mpz(_fuente_de_prueba.bajo(int(cota)))
    return mpz(secrets.randbelow(int(cota)))


def bytes_aleatorios(n: int) -> bytes:
    """n bytes de ``secrets`` (nonce de boleta ξ_B, identificadores)."""
    if _fuente_de_prueba is not None:
        return _fuente_de_prueba.bits(8 * n).to_bytes(n, "big")
    return secrets.token_bytes(n)


def bits_aleatorios(bits: int) -> mpz:
    """Entero uniforme de ``bits`` bits con el bit alto encendido (exponentes de lotes).

    Siempre de ``secrets``: la solidez de la prueba por lotes exige que el adversario no
    pueda predecir estos exponentes, ni siquiera en modo de prueba.
    """
    return mpz(secrets.randbits(bits - 1)) | (mpz(1) << (bits - 1))


class TablaBaseFija:
    """Exponenciación de base fija con ventanas de ``w`` bits (§2.4.2).

    Se precalcula base^(d·2^(w·i)) para cada ventana i y cada dígito d; una potencia con
    exponente de ``bits_exponente`` bits cuesta entonces ⌈bits/w⌉ multiplicaciones y
    ninguna elevación al cuadrado.  Los exponentes mayores se reducen módulo ``orden``
    (la base tiene ese orden), de modo que el resultado es exactamente base^e mod p.
    """

    __slots__ = ("_mascara", "_ventanas", "_w", "base", "modulo", "orden")

    def __init__(self, base: mpz, modulo: mpz, orden: mpz, ancho: int = 8) -> None:
        self.base = mpz(base)
        self.modulo = mpz(modulo)
        self.orden = mpz(orden)
        self._w = ancho
        self._mascara = (1 << ancho) - 1
        ventanas = (int(orden).bit_length() + ancho - 1) // ancho
        tabla: list[list[mpz]] = []
        actual = self.base
        for _ in range(ventanas):
            fila = [mpz(1), actual]
            for _ in range(2, 1 << ancho):
                fila.append(fila[-1] * actual % modulo)
            tabla.append(fila)
            # La siguiente ventana empieza en base^(2^(w·(i+1))) = fila[-1] · actual.
            actual = fila[-1] * actual % modulo
        self._ventanas = tabla

    def potencia(self, exponente: mpz | int) -> mpz:
        e = int(mpz(exponente) % self.orden)
        m = self.modulo
        w = self._w
        mascara = self._mascara
        resultado = mpz(1)
        for fila in self._ventanas:
            if not e:
                break
            d = e & mascara
            if d:
                resultado = resultado * fila[d] % m
            e >>= w
        return resultado


def multiexp(bases: Sequence[mpz], exponentes: Sequence[mpz | int], modulo: mpz) -> mpz:
    """∏ bases[i]^exponentes[i] mod modulo con cuadrados compartidos (Straus, ventana 4).

    Cuesta aproximadamente max(bits) cuadrados más ⌈bits/4⌉+14 productos por base, en
    vez de una exponenciación completa por base (§2.4.3).
    """
    if len(bases) != len(exponentes):
        raise ValueError("bases y exponentes deben tener la misma longitud")
    exps = [int(e) for e in exponentes]
    if any(e < 0 for e in exps):
        raise ValueError("exponentes negativos no soportados")
    if not bases:
        return mpz(1) % modulo
    if len(bases) == 1:
        return gmpy2.powmod(bases[0], exps[0], modulo)
    if max(exps).bit_length() <= 16:
        # Exponentes pequeños (Feldman, llaves de verificación): la tabla no compensa.
        resultado = mpz(1)
        for b, e in zip(bases, exps, strict=True):
            resultado = resultado * gmpy2.powmod(b, e, modulo) % modulo
        return resultado
    tablas = []
    for b in bases:
        fila = [mpz(1), mpz(b) % modulo]
        for _ in range(2, 16):
            fila.append(fila[-1] * fila[1] % modulo)
        tablas.append(fila)
    bits = max(e.bit_length() for e in exps)
    ventanas = (bits + 3) // 4
    resultado = mpz(1)
    for v in range(ventanas - 1, -1, -1):
        if v != ventanas - 1:
            resultado = resultado * resultado % modulo
            resultado = resultado * resultado % modulo
            resultado = resultado * resultado % modulo
            resultado = resultado * resultado % modulo
        desplazamiento = 4 * v
        for fila, e in zip(tablas, exps, strict=False):
            d = (e >> desplazamiento) & 15
            if d:
                resultado = resultado * fila[d] % modulo
    return resultado


def potencias_misma_base(base: mpz, exponentes: Sequence[mpz | int], modulo: mpz) -> list[mpz]:
    """[base^e for e in exponentes] compartiendo los cuadrados (BGMW con cubetas, ventana 4; §2.4.3).

    Se calculan una vez base^(2^(4i)) para cada ventana i (4 cuadrados por ventana) y cada
    exponente cuesta una multiplicación por ventana no nula más 30 para combinar las 15
    cubetas.  Con dos exponentes de 256 bits cuesta ≈ 1.4 pe en vez de 2 pe.  Solo para
    exponentes públicos (retos de pruebas): el patrón de accesos depende del exponente.
    """
    exps = [int(e) for e in exponentes]
    if any(e < 0 for e in exps):
        raise ValueError("exponentes negativos no soportados")
    if len(exps) < 2:
        return [gmpy2.powmod(base, e, modulo) for e in exps]
    ventanas = (max(e.bit_length() for e in exps) + 3) // 4
    potencias = [mpz(base) % modulo]
    for _ in range(1, ventanas):
        x = potencias[-1]
        x = x * x % modulo
        x = x * x % modulo
        x = x * x % modulo
        potencias.append(x * x % modulo)
    resultados = []
    uno = mpz(1)
    for e in exps:
        cubetas = [uno] * 16
        i = 0
        while e:
            d = e & 15
            if d:
                cubetas[d] = cubetas[d] * potencias[i] % modulo
            e >>= 4
            i += 1
        # ∏_d cubetas[d]^d con sumas acumuladas: 2 productos por dígito.
        acumulado, total = uno, uno
        for d in range(15, 0, -1):
            if cubetas[d] is not uno:
                acumulado = acumulado * cubetas[d] % modulo
            if acumulado is not uno:
                total = total * acumulado % modulo
        resultados.append(total)
    return resultados
