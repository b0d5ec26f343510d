"""Segunda implementación ingenua e independiente de las primitivas de EG 2.0 / vmre.

Solo usa ``int`` de Python, ``pow``, ``hmac`` y ``hashlib``.  NO importa ``vmre_crypto``
ni comparte código con él: las constantes p, q, g salen del JSON de los artefactos de
referencia y cada codificación se escribe aquí a mano a partir de la especificación.
Sirve para comprobar, con un segundo cálculo, los vectores que produce la biblioteca.

Las funciones ``verificar_*`` devuelven un booleano (nunca lanzan por una prueba falsa).
Las ``comprobar_*`` reverifican de punta a punta la elección de ``vectores_eleccion.json``
(ceremonia, credenciales, boletas, apertura, escrutinio y descifrado) y devuelven
{nombre de la comprobación: bool}; ``comprobar_eleccion`` las reúne todas.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from pathlib import Path

_DATOS = Path(__file__).parent / "datos" / "eg20"

with open(_DATOS / "election_parameters.json", encoding="utf-8") as _f:
    _GRUPO = json.load(_f)["fixed_parameters"]["group"]

P = int(_GRUPO["p"], 16)
Q = int(_GRUPO["q"], 16)
G = int(_GRUPO["g"], 16)
LP = 512  # bytes de b(x, l_p)
LQ = 32  # bytes de b(x, l_q)

VERSION = "v2.0.0".encode("ascii") + b"\x00" * 26


# -- hash y codificaciones --------------------------------------------------------------
def H(clave: bytes, datos: bytes) -> bytes:
    """HMAC-SHA-256(clave, datos); la clave mide 32 bytes."""
    assert len(clave) == 32
    return hmac.new(clave, datos, hashlib.sha256).digest()


def b(x: int, n: int) -> bytes:
    """Entero no negativo en big-endian de exactamente n bytes (construido a mano)."""
    assert 0 <= x < 256**n
    salida = bytearray(n)
    for k in range(n - 1, -1, -1):
        salida[k] = x & 0xFF
        x >>= 8
    return bytes(salida)


def a_entero(datos: bytes) -> int:
    x = 0
    for byte in datos:
        x = (x << 8) | byte
    return x


def H_q(clave: bytes, datos: bytes) -> int:
    """Salida de H como entero big-endian reducido módulo q (retos)."""
    return a_entero(H(clave, datos)) % Q


_MIEMBROS: dict[int, bool] = {}


def es_miembro(x: int) -> bool:
    """0 < x < p y x^q = 1 (mod p).  Se recuerda el resultado: K y otros valores se repiten."""
    if x not in _MIEMBROS:
        _MIEMBROS[x] = 0 < x < P and pow(x, Q, P) == 1
    return _MIEMBROS[x]


def en_zq(x: int) -> bool:
    return 0 <= x < Q


# -- hashes de la elección --------------------------------------------------------------
def hash_parametros(p: int = P, q: int = Q, g: int = G) -> bytes:
    return H(VERSION, bytes([0x00]) + b(p, LP) + b(q, LQ) + b(g, LP))


def hash_manifiesto(h_p: bytes, manifiesto: bytes) -> bytes:
    return H(h_p, bytes([0x01]) + manifiesto)


def hash_base(h_p: bytes, n: int, k: int, fecha: str, info: str, h_m: bytes) -> bytes:
    return H(h_p, bytes([0x02]) + b(n, 4) + b(k, 4) + fecha.encode("utf-8") + info.encode("utf-8") + h_m)


def hash_extendido(h_b: bytes, K: int) -> bytes:
    return H(h_b, bytes([0x12]) + b(K, LP))


# -- ElGamal ----------------------------------------------------------------------------
def cifrar(K: int, sigma: int, xi: int) -> tuple[int, int]:
    return pow(G, xi, P), pow(K, sigma + xi, P)


def descifrar(alfa: int, beta: int, s: int, cota: int) -> int | None:
    """Descifrado con el secreto completo y búsqueda lineal del exponente (t ≤ cota)."""
    K = pow(G, s, P)
    objetivo = beta * pow(pow(alfa, s, P), -1, P) % P
    actual = 1
    for t in range(cota + 1):
        if actual == objetivo:
            return t
        actual = actual * K % P
    return None


# -- pruebas ----------------------------------------------------------------------------
def verificar_schnorr(h_p: bytes, i: int, j: int, K_ij: int, c: int, v: int) -> bool:
    if not (es_miembro(K_ij) and en_zq(c) and en_zq(v)):
        return False
    h = pow(G, v, P) * pow(K_ij, c, P) % P
    datos = bytes([0x10]) + b(i, 4) + b(j, 4) + b(K_ij, LP) + b(h, LP)
    return H_q(h_p, datos) == c


def verificar_rango(h_e: bytes, K: int, alfa: int, beta: int, retos: list[int], respuestas: list[int]) -> bool:
    """Prueba de rango 0..R con R = len(retos) − 1."""
    if len(retos) != len(respuestas) or not retos:
        return False
    if not all(es_miembro(x) for x in (K, alfa, beta)):
        return False
    if not all(en_zq(x) for x in retos + respuestas):
        return False
    datos = bytes([0x21]) + b(K, LP) + b(alfa, LP) + b(beta, LP)
    for j, (c_j, v_j) in enumerate(zip(retos, respuestas, strict=True)):
        a_j = pow(G, v_j, P) * pow(alfa, c_j, P) % P
        b_j = pow(K, (v_j - j * c_j) % Q, P) * pow(beta, c_j, P) % P
        datos += b(a_j, LP) + b(b_j, LP)
    return sum(retos) % Q == H_q(h_e, datos)


def verificar_descifrado(h_e: bytes, K: int, A: int, B: int, M: int, c: int, v: int) -> bool:
    if not all(es_miembro(x) for x in (K, A, B, M)) or not (en_zq(c) and en_zq(v)):
        return False
    a = pow(G, v, P) * pow(K, c, P) % P
    bb = pow(A, v, P) * pow(M, c, P) % P
    datos = bytes([0x30]) + b(K, LP) + b(A, LP) + b(B, LP) + b(a, LP) + b(bb, LP) + b(M, LP)
    return H_q(h_e, datos) == c


def verificar_firma(h_e: bytes, X: int, mensaje: bytes, c: int, v: int) -> bool:
    if not es_miembro(X) or not (en_zq(c) and en_zq(v)):
        return False
    h = pow(G, v, P) * pow(X, c, P) % P
    datos = bytes([0x50]) + b(X, LP) + b(h, LP) + b(len(mensaje), 4) + mensaje
    return H_q(h_e, datos) == c


# -- Shamir / Feldman / Lagrange ----------------------------------------------------------
def evaluar_polinomio(coeficientes: list[int], x: int) -> int:
    """Σ a_j·x^j mod q, término a término (sin Horner)."""
    return sum(a * pow(x, j, Q) for j, a in enumerate(coeficientes)) % Q


def evaluar_feldman(compromisos: list[int], x: int) -> int:
    """∏ K_j^(x^j) mod p, una potencia por término."""
    resultado = 1
    for j, K_j in enumerate(compromisos):
        resultado = resultado * pow(K_j, x**j, P) % P
    return resultado


def pesos_lagrange(cuorum: list[int]) -> dict[int, int]:
    """w_i = ∏_(ℓ≠i) ℓ/(ℓ−i) mod q, con el inverso por el pequeño teorema de Fermat."""
    pesos = {}
    for i in cuorum:
        w = 1
        for ell in cuorum:
            if ell != i:
                w = w * ell * pow((ell - i) % Q, Q - 2, Q) % Q
        pesos[i] = w
    return pesos


# -- ceremonia de llaves ----------------------------------------------------------------
def llaves_comparticion(h_p: bytes, i: int, ell: int, K_ell: int, alfa: int, beta: int) -> tuple[bytes, bytes]:
    """k = H(H_P; 0x11 ∥ b(i,4) ∥ b(ℓ,4) ∥ b(K_ℓ) ∥ b(α) ∥ b(β)); k0, k1 por SP 800-108 (contador)."""
    k = H(h_p, bytes([0x11]) + b(i, 4) + b(ell, 4) + b(K_ell, LP) + b(alfa, LP) + b(beta, LP))
    resto = "share enc keys".encode("ascii") + b"\x00" + "share encrypt".encode("ascii") + b(i, 4) + b(ell, 4)
    resto += b(512, 2)  # longitud total pedida, en bits
    k0 = hmac.new(k, b"\x01" + resto, hashlib.sha256).digest()
    k1 = hmac.new(k, b"\x02" + resto, hashlib.sha256).digest()
    return k0, k1


def descifrar_comparticion(
    h_p: bytes, i: int, ell: int, K_ell: int, secreto: int, C0: int, C1: bytes, C2: bytes
) -> int | None:
    """P_i(ℓ) a partir de (C0, C1, C2) con el secreto a_ℓ0 del receptor; None si no autentica."""
    if len(C1) != 32 or len(C2) != 32 or not es_miembro(C0):
        return None
    beta = pow(C0, secreto, P)
    k0, k1 = llaves_comparticion(h_p, i, ell, K_ell, C0, beta)
    if not hmac.compare_digest(hmac.new(k0, b(C0, LP) + C1, hashlib.sha256).digest(), C2):
        return None
    valor = a_entero(bytes(x ^ y for x, y in zip(C1, k1, strict=True)))
    return valor if valor < Q else None


def llave_conjunta(llaves_publicas: list[int]) -> int:
    K = 1
    for K_i in llaves_publicas:
        K = K * K_i % P
    return K


def llave_verificacion(compromisos: list[list[int]], ell: int) -> int:
    """K̂_ℓ = ∏_i ∏_j K_ij^(ℓ^j): producto de las evaluaciones de Feldman de cada custodio."""
    return llave_conjunta([evaluar_feldman(K_i, ell) for K_i in compromisos])


def hash_registro(
    h_e: bytes,
    n: int,
    k: int,
    custodios: list[tuple[int, str, list[tuple[int, int, int]]]],
    verificacion: list[int],
) -> bytes:
    """H_R (7.12); ``custodios`` = [(i, nombre, [(K_ij, c_ij, v_ij) para j = 0..k−1])] en orden de i."""
    datos = bytes([0x52]) + b(n, 4) + b(k, 4)
    for i, nombre, filas in custodios:
        nombre_utf8 = nombre.encode("utf-8")
        datos += b(i, 4) + b(len(nombre_utf8), 4) + nombre_utf8
        for K_ij, c_ij, v_ij in filas:
            datos += b(K_ij, LP) + b(c_ij, LQ) + b(v_ij, LQ)
    for K_hat in verificacion:
        datos += b(K_hat, LP)
    return H(h_e, datos)


# -- credenciales y boletas -------------------------------------------------------------
def hash_lista_credenciales(h_p: bytes, publicas: list[int]) -> bytes:
    """H_C = H(H_P; 0x51 ∥ b(N,4) ∥ X_(1) ∥ … ∥ X_(N)) con las X en orden creciente."""
    datos = bytes([0x51]) + b(len(publicas), 4)
    for X in sorted(publicas):
        datos += b(X, LP)
    return H(h_p, datos)


def nonce_seleccion(h_e: bytes, nonce_boleta: bytes, c: int, o: int) -> int:
    return H_q(h_e, bytes([0x20]) + nonce_boleta + b(c, 4) + b(o, 4))


def hash_contienda(h_e: bytes, c: int, K: int, cifrados: list[tuple[int, int]]) -> bytes:
    datos = bytes([0x23]) + b(c, 4) + b(K, LP)
    for alfa, beta in cifrados:
        datos += b(alfa, LP) + b(beta, LP)
    return H(h_e, datos)


def texto_con_largo(texto: str) -> bytes:
    datos = texto.encode("utf-8")
    return b(len(datos), 4) + datos


def datos_auxiliares(id_boleta: str, estilo: str, credencial: int | None) -> bytes:
    """B_aux = b_texto(id) ∥ b_texto(estilo) ∥ b(len(X),4) ∥ b(X, 512) (X puede faltar)."""
    X = b"" if credencial is None else b(credencial, LP)
    return texto_con_largo(id_boleta) + texto_con_largo(estilo) + b(len(X), 4) + X


def codigo_confirmacion(h_e: bytes, hashes: list[bytes], aux: bytes) -> bytes:
    return H(h_e, bytes([0x24]) + b"".join(hashes) + b(len(aux), 4) + aux)


def producto(cifrados: list[tuple[int, int]]) -> tuple[int, int]:
    A, B = 1, 1
    for alfa, beta in cifrados:
        A, B = A * alfa % P, B * beta % P
    return A, B


def abrir_seleccion(K: int, alfa: int, beta: int, xi: int) -> int | None:
    """σ ∈ {0, 1} si (α, β) = (g^ξ, K^(σ+ξ)); None si el nonce no abre la selección."""
    if alfa != pow(G, xi, P):
        return None
    for sigma in (0, 1):
        if beta == pow(K, sigma + xi, P):
            return sigma
    return None


# -- escrutinio y descifrado ------------------------------------------------------------
def hash_escrutinio(h_e: bytes, entradas: list[tuple[int, int, int, int]], cotas: dict[int, int]) -> bytes:
    """H_T = H(H_E; 0x53 ∥ ∀c: [b(c,4) ∥ b(N_c,4) ∥ ∀o: (b(o,4) ∥ b(A) ∥ b(B))]).

    Es la disposición de la biblioteca desde el commit 83bdd6e («H_T binds those counts»):
    cada contienda lleva su N_c (``cotas``).  ``entradas`` son (c, o, A, B) en orden canónico.
    """
    datos = bytes([0x53])
    anterior = None
    for c, o, A, B in entradas:
        if c != anterior:
            datos += b(c, 4) + b(cotas[c], 4)
            anterior = c
        datos += b(o, 4) + b(A, LP) + b(B, LP)
    return H(h_e, datos)


def reto_descifrado(h_e: bytes, K: int, A: int, B: int, a: int, bb: int, M: int) -> int:
    return H_q(h_e, bytes([0x30]) + b(K, LP) + b(A, LP) + b(B, LP) + b(a, LP) + b(bb, LP) + b(M, LP))


def descifrado_parcial(A: int, w_i: int, comparticion: int) -> int:
    """M_i = A^(w_i·P(i)) (9.3): el custodio i aplica él mismo su peso de Lagrange."""
    return pow(A, w_i * comparticion % Q, P)


def verificar_parcial(K_hat: int, w_i: int, A: int, M_i: int, a_i: int, b_i: int, c: int, v_i: int) -> bool:
    """V-D2 (6.9): a_i = g^(v_i)·(K̂_i^(w_i))^c y b_i = A^(v_i)·M_i^c, con el reto conjunto c.

    K̂_i^(w_i) = g^(w_i·P(i)) es la llave de verificación ponderada del custodio i en U.
    """
    ponderada = pow(K_hat, w_i, P)
    return a_i == pow(G, v_i, P) * pow(ponderada, c, P) % P and b_i == pow(A, v_i, P) * pow(M_i, c, P) % P


def logaritmo(T: int, K: int, cota: int) -> int | None:
    """t ∈ 0..cota con K^t = T, por búsqueda lineal."""
    actual = 1
    for t in range(cota + 1):
        if actual == T:
            return t
        actual = actual * K % P
    return None


# -- la elección de los vectores (JSON de generar_vectores_eleccion.py) -----------------
# Las funciones ``comprobar_*`` leen el JSON de los vectores y devuelven {nombre: bool}, una
# entrada por comprobación; nunca lanzan por un dato falso.  Todo se recalcula desde el JSON:
# los hashes, K y H_E salen de la configuración y de los mensajes de compromisos, no de los
# valores guardados que se comparan.
def e(x: str) -> int:
    """Entero de un hexadecimal de los vectores."""
    return int(x, 16)


def hx(datos: str) -> bytes:
    return bytes.fromhex(datos)


def canonico(valor: object) -> str:
    """JSON canónico: llaves ordenadas, sin espacios, UTF-8 sin escapes."""
    return json.dumps(valor, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def contexto(v: dict) -> dict:
    """H_P, H_M, H_B, K, H_E, llaves de verificación y manifiesto recalculados desde el JSON."""
    cfg = v["configuracion"]
    h_p = hash_parametros()
    h_m = hash_manifiesto(h_p, v["manifiesto_canonico"].encode("utf-8"))
    h_b = hash_base(h_p, cfg["custodios"], cfg["cuorum"], cfg["fecha"], cfg["info"], h_m)
    compromisos = {m["custodio"]: [e(x) for x in m["compromisos"]] for m in v["ceremonia"]["compromisos"]}
    orden = sorted(compromisos)
    K = llave_conjunta([compromisos[i][0] for i in orden])
    manifiesto = json.loads(v["manifiesto_canonico"])
    return {
        "n": cfg["custodios"],
        "k": cfg["cuorum"],
        "h_p": h_p,
        "h_m": h_m,
        "h_b": h_b,
        "K": K,
        "h_e": hash_extendido(h_b, K),
        "compromisos": compromisos,
        "verificacion": {ell: llave_verificacion([compromisos[i] for i in orden], ell) for ell in orden},
        "contiendas": {c["indice"]: c for c in manifiesto["contiendas"]},
        "estilos": {s["identificador"]: s["contiendas"] for s in manifiesto["estilos"]},
    }


def _sin_cabecera(documento: dict) -> dict:
    return {x: y for x, y in documento.items() if x not in ("version", "tipo")}


def comprobar_parametros(v: dict, ctx: dict) -> dict[str, bool]:
    texto = v["manifiesto_canonico"]
    return {
        "manifiesto/canonico": canonico(json.loads(texto)) == texto,
        "h_p": hx(v["h_p"]) == ctx["h_p"],
        "h_m": hx(v["h_m"]) == ctx["h_m"],
        "h_b": hx(v["h_b"]) == ctx["h_b"],
        "h_e": hx(v["h_e"]) == ctx["h_e"],
    }


def comprobar_ceremonia(v: dict, ctx: dict) -> dict[str, bool]:
    """Schnorr de cada compromiso, cada compartición (MAC, valor, Feldman), K, K̂_ℓ, H_E y H_R."""
    r: dict[str, bool] = {}
    h_p, n, k = ctx["h_p"], ctx["n"], ctx["k"]
    secretos = {s["custodio"]: s for s in v["secretos_custodios"]}
    coef = {i: [e(a) for a in s["coeficientes"]] for i, s in secretos.items()}
    mensajes = v["ceremonia"]["compromisos"]
    r["compromisos/indices"] = sorted(m["custodio"] for m in mensajes) == list(range(1, n + 1))
    for m in mensajes:
        i = m["custodio"]
        r[f"compromisos/{i}/forma"] = (
            m["tipo"] == "compromisos_custodio" and len(m["compromisos"]) == len(m["pruebas"]) == k
        )
        for j, (K_ij, prueba) in enumerate(zip(m["compromisos"], m["pruebas"], strict=False)):
            r[f"compromisos/{i}/schnorr/{j}"] = verificar_schnorr(
                h_p, i, j, e(K_ij), e(prueba["reto"]), e(prueba["respuesta"])
            )
        r[f"compromisos/{i}/coeficientes"] = [e(x) for x in m["compromisos"]] == [pow(G, a, P) for a in coef[i]]
    vistos = set()
    for m in v["ceremonia"]["comparticiones"]:
        i, ell = m["emisor"], m["receptor"]
        vistos.add((i, ell))
        nombre = f"comparticion/{i}->{ell}"
        valor = descifrar_comparticion(
            h_p, i, ell, ctx["compromisos"][ell][0], coef[ell][0], e(m["c0"]), hx(m["c1"]), hx(m["c2"])
        )
        r[f"{nombre}/mac"] = valor is not None
        r[f"{nombre}/valor"] = valor == evaluar_polinomio(coef[i], ell)
        r[f"{nombre}/feldman"] = valor is not None and pow(G, valor, P) == evaluar_feldman(ctx["compromisos"][i], ell)
    r["comparticiones/pares"] = vistos == {(i, ell) for i in range(1, n + 1) for ell in range(1, n + 1) if i != ell}
    for m in v["ceremonia"]["confirmaciones_comparticiones"]:
        ell = m["receptor"]
        r[f"confirmacion_comparticiones/{ell}"] = m["emisores"] == [i for i in range(1, n + 1) if i != ell]
    # Compartición P(ℓ) = Σ_i P_i(ℓ) y su llave de verificación g^(P(ℓ)).
    for ell, s in secretos.items():
        total = sum(evaluar_polinomio(coef[i], ell) for i in coef) % Q
        r[f"comparticion_total/{ell}"] = e(s["comparticion"]) == total
        r[f"verificacion/{ell}/secreto"] = pow(G, total, P) == ctx["verificacion"][ell]
    registro = v["ceremonia"]["registro"]
    r["registro/forma"] = (registro["custodios"], registro["cuorum"]) == (n, k)
    r["registro/compromisos"] = registro["compromisos"] == [
        _sin_cabecera(m) for m in sorted(mensajes, key=lambda x: x["custodio"])
    ]
    r["registro/llave_conjunta"] = e(registro["llave_conjunta"]) == ctx["K"] != 1
    r["registro/llaves_verificacion"] = [e(x) for x in registro["llaves_verificacion"]] == [
        ctx["verificacion"][ell] for ell in range(1, n + 1)
    ]
    r["registro/h_e"] = hx(registro["h_e"]) == ctx["h_e"]
    filas = [
        (
            m["custodio"],
            m["nombre"],
            [
                (e(K_ij), e(p["reto"]), e(p["respuesta"]))
                for K_ij, p in zip(m["compromisos"], m["pruebas"], strict=False)
            ],
        )
        for m in sorted(mensajes, key=lambda x: x["custodio"])
    ]
    h_r = hash_registro(ctx["h_e"], n, k, filas, [ctx["verificacion"][ell] for ell in range(1, n + 1)])
    r["registro/hash_registro"] = hx(registro["hash_registro"]) == h_r
    for m in v["ceremonia"]["confirmaciones_registro"]:
        r[f"confirmacion_registro/{m['custodio']}"] = hx(m["hash_registro"]) == h_r
    return r


def comprobar_credenciales(v: dict, ctx: dict) -> dict[str, bool]:
    """X = g^x; V-C2 (lista de X distintas, del subgrupo y ≠ 1, con su hash H_C); V-C3 (cada
    boleta, depositada o desafiada, trae una X de la lista); V-C4 (ninguna X en dos boletas
    depositadas); V7.C (id_boleta de 32 dígitos hexadecimales en mayúsculas, únicos, y códigos
    de confirmación únicos); V12.C (la boleta desafiada no está entre las depositadas)."""
    r = {}
    for n, cred in enumerate(v["credenciales"]):
        r[f"credencial/{n}"] = pow(G, e(cred["secreta"]), P) == e(cred["publica"])
    publicas = [e(c["publica"]) for c in v["credenciales"]]
    r["credenciales/lista"] = (
        len(publicas) >= 1 and len(set(publicas)) == len(publicas) and all(X != 1 and es_miembro(X) for X in publicas)
    )
    r["credenciales/hash_lista"] = hx(v["hash_lista_credenciales"]) == hash_lista_credenciales(ctx["h_p"], publicas)
    todas = [x["boleta"] for _, x in boletas(v)]
    depositadas = [x["boleta"] for x in v["boletas_depositadas"]]
    r["credenciales/inscritas"] = all(x["credencial"] is not None and e(x["credencial"]) in publicas for x in todas)
    usadas = [x["credencial"] for x in depositadas]
    r["credenciales/una_por_elector"] = len(set(usadas)) == len(usadas)
    ids = [x["id_boleta"] for x in todas]
    r["boletas/id_forma"] = all(len(i) == 32 and all(ch in "0123456789ABCDEF" for ch in i) for i in ids)
    r["boletas/id_unicos"] = len(set(ids)) == len(ids)
    codigos = [x["codigo_confirmacion"] for x in todas]
    r["boletas/codigos_unicos"] = len(set(codigos)) == len(codigos)
    desafiada = v["boleta_desafiada"]["apertura"]["id_boleta"]
    r["boletas/desafiada_no_depositada"] = desafiada not in [x["id_boleta"] for x in depositadas]
    return r


def comprobar_boleta(
    v: dict, ctx: dict, registro: dict, nombre: str, contiendas: list[int] | None = None
) -> dict[str, bool]:
    """Una boleta de los vectores: nonces, cifrados de las marcas, pruebas de rango, χ, B_aux,
    código de confirmación, firma y, si la trae, la apertura de Benaloh.

    ``contiendas`` limita las comprobaciones costosas por contienda a esas contiendas (las
    del código, la firma y la apertura se hacen siempre).
    """
    r: dict[str, bool] = {}
    h_e, K = ctx["h_e"], ctx["K"]
    boleta = registro["boleta"]
    xi_b = hx(registro["nonce_boleta"])
    estilo = ctx["estilos"].get(boleta["estilo"])
    r[f"{nombre}/estilo"] = (
        boleta["tipo"] == "boleta_cifrada"
        and boleta["estilo"] == registro["estilo"]
        and estilo == [c["indice"] for c in boleta["contiendas"]]
        and all(str(c) in registro["marcas"] for c in estilo or [])
    )
    for cb in boleta["contiendas"]:
        c = cb["indice"]
        if contiendas is not None and c not in contiendas:
            continue
        contienda = ctx["contiendas"][c]
        marcas = registro["marcas"][str(c)]
        L = contienda["limite_seleccion"]
        opciones = [o["indice"] for o in contienda["opciones"]]
        r[f"{nombre}/c{c}/marcas"] = (
            len(marcas) <= L and len(set(marcas)) == len(marcas) and set(marcas) <= set(opciones)
        )
        r[f"{nombre}/c{c}/forma"] = len(cb["selecciones"]) == len(opciones)
        cifrados = []
        for o, sel in zip(opciones, cb["selecciones"], strict=False):
            alfa, beta = e(sel["cifrado"]["alfa"]), e(sel["cifrado"]["beta"])
            cifrados.append((alfa, beta))
            xi = nonce_seleccion(h_e, xi_b, c, o)
            r[f"{nombre}/c{c}/o{o}/nonce"] = e(registro["nonces_seleccion"][str(c)][o - 1]) == xi
            r[f"{nombre}/c{c}/o{o}/cifrado"] = (alfa, beta) == cifrar(K, 1 if o in marcas else 0, xi)
            prueba = sel["prueba"]
            r[f"{nombre}/c{c}/o{o}/rango"] = len(prueba["retos"]) == 2 and verificar_rango(
                h_e, K, alfa, beta, [e(x) for x in prueba["retos"]], [e(x) for x in prueba["respuestas"]]
            )
        A, B = producto(cifrados)
        limite = cb["prueba_limite"]
        r[f"{nombre}/c{c}/limite"] = len(limite["retos"]) == L + 1 and verificar_rango(
            h_e, K, A, B, [e(x) for x in limite["retos"]], [e(x) for x in limite["respuestas"]]
        )
        r[f"{nombre}/c{c}/hash"] = hx(cb["hash_contienda"]) == hash_contienda(h_e, c, K, cifrados)
    X = None if boleta["credencial"] is None else e(boleta["credencial"])
    aux = datos_auxiliares(boleta["id_boleta"], boleta["estilo"], X)
    codigo = codigo_confirmacion(h_e, [hx(cb["hash_contienda"]) for cb in boleta["contiendas"]], aux)
    r[f"{nombre}/codigo"] = hx(boleta["codigo_confirmacion"]) == codigo
    r[f"{nombre}/credencial"] = X == e(v["credenciales"][registro["credencial"]]["publica"])
    firma = boleta["firma"]
    r[f"{nombre}/firma"] = (
        X is not None
        and firma is not None
        and verificar_firma(h_e, X, hx(boleta["codigo_confirmacion"]), e(firma["reto"]), e(firma["respuesta"]))
    )
    if "apertura" in registro:
        apertura = registro["apertura"]
        abiertas: dict[str, list[int]] | None = {}
        nonce = hx(apertura["nonce_boleta"])
        for cb in boleta["contiendas"]:
            marcadas = []
            for o, sel in enumerate(cb["selecciones"], start=1):
                xi = nonce_seleccion(h_e, nonce, cb["indice"], o)
                sigma = abrir_seleccion(K, e(sel["cifrado"]["alfa"]), e(sel["cifrado"]["beta"]), xi)
                if sigma is None:
                    abiertas = None
                    break
                if sigma:
                    marcadas.append(o)
            if abiertas is None:
                break
            abiertas[str(cb["indice"])] = marcadas
        r[f"{nombre}/apertura"] = (
            apertura["tipo"] == "apertura_boleta"
            and apertura["id_boleta"] == boleta["id_boleta"]
            and len(nonce) == 32
            and abiertas == registro["marcas"]
        )
    return r


def boletas(v: dict) -> list[tuple[str, dict]]:
    """(nombre, registro) de cada boleta de los vectores: «depositada/1», …, «desafiada»."""
    salida = [(f"depositada/{n}", x) for n, x in enumerate(v["boletas_depositadas"], start=1)]
    return [*salida, ("desafiada", v["boleta_desafiada"])]


def escrutinio_esperado(v: dict, ctx: dict) -> list[tuple[int, int, int, int]]:
    """(c, o, A, B) en orden canónico: producto de los cifrados de las boletas depositadas."""
    cifrados: dict[tuple[int, int], list[tuple[int, int]]] = {}
    for x in v["boletas_depositadas"]:
        for cb in x["boleta"]["contiendas"]:
            for o, sel in enumerate(cb["selecciones"], start=1):
                cifrados.setdefault((cb["indice"], o), []).append(
                    (e(sel["cifrado"]["alfa"]), e(sel["cifrado"]["beta"]))
                )
    salida = []
    for c in sorted(ctx["contiendas"]):
        for opcion in ctx["contiendas"][c]["opciones"]:
            o = opcion["indice"]
            salida.append((c, o, *producto(cifrados.get((c, o), []))))
    return salida


def boletas_por_contienda(v: dict, ctx: dict) -> dict[int, int]:
    """N_c: cuántas boletas depositadas contienen cada contienda (cota del conteo, V10)."""
    cuenta = {c: 0 for c in ctx["contiendas"]}
    for x in v["boletas_depositadas"]:
        for cb in x["boleta"]["contiendas"]:
            cuenta[cb["indice"]] += 1
    return cuenta


def comprobar_escrutinio(v: dict, ctx: dict) -> dict[str, bool]:
    r = {}
    esperado = escrutinio_esperado(v, ctx)
    doc = v["escrutinio"]
    guardado = [
        (ce["indice"], o, e(x["alfa"]), e(x["beta"]))
        for ce in doc["contiendas"]
        for o, x in enumerate(ce["cifrados"], start=1)
    ]
    r["escrutinio/producto"] = guardado == esperado
    r["escrutinio/boletas"] = {ce["indice"]: ce["boletas"] for ce in doc["contiendas"]} == boletas_por_contienda(v, ctx)
    r["escrutinio/hash"] = hx(v["hash_escrutinio"]) == hash_escrutinio(
        ctx["h_e"], esperado, boletas_por_contienda(v, ctx)
    )
    return r


def comprobar_descifrado(v: dict, ctx: dict, posiciones: list[int] | None = None) -> dict[str, bool]:
    """Los mensajes de las dos rondas, la prueba conjunta, V-D2 y T = B/M = K^t por opción.

    El cuórum U va anunciado en cada parcial; cada M_i se recalcula como A^(w_i·P(i)) con la
    compartición P(i) guardada en ``secretos_custodios``, M como el producto simple de los M_i,
    y V-D2 usa la llave de verificación ponderada K̂_i^(w_i) con el reto conjunto c.

    ``posiciones`` limita las comprobaciones por opción (índices en el orden canónico).
    """
    r: dict[str, bool] = {}
    h_e, K = ctx["h_e"], ctx["K"]
    d = v["descifrado"]
    tabla = escrutinio_esperado(v, ctx)
    h_t = hash_escrutinio(h_e, tabla, boletas_por_contienda(v, ctx))
    resultado = d["resultado"]
    cuorum = resultado["cuorum"]
    pesos = pesos_lagrange(cuorum)
    secretos = {s["custodio"]: e(s["comparticion"]) for s in v["secretos_custodios"]}
    parciales = {m["custodio"]: m for m in d["parciales"]}
    respuestas = {m["custodio"]: m for m in d["respuestas"]}
    # U se anuncia antes de la ronda 1: cada parcial lo lleva y es el mismo de los retos y del resultado.
    r["descifrado/cuorum"] = (
        cuorum == d["presentes"] == d["retos"]["cuorum"] == sorted(parciales) == sorted(respuestas)
        and all(m["cuorum"] == cuorum for m in d["parciales"])
        and len(cuorum) == ctx["k"]
        and cuorum == sorted(set(cuorum))
        and all(1 <= i <= ctx["n"] for i in cuorum)
    )
    r["descifrado/hash_escrutinio"] = all(
        hx(m["hash_escrutinio"]) == h_t for m in [resultado, d["retos"], *d["parciales"], *d["respuestas"]]
    )
    r["descifrado/forma"] = len(resultado["opciones"]) == len(tabla) and all(
        len(m["partes"]) == len(tabla) for m in d["parciales"]
    )
    esperados = v["conteos_esperados"]
    cotas = boletas_por_contienda(v, ctx)
    for pos, (c, o, A, B) in enumerate(tabla):
        if posiciones is not None and pos not in posiciones:
            continue
        nombre = f"descifrado/c{c}/o{o}"
        op = resultado["opciones"][pos]
        M = e(op["m"])
        reto, respuesta = e(op["prueba"]["reto"]), e(op["prueba"]["respuesta"])
        r[f"{nombre}/orden"] = (op["contienda"], op["opcion"]) == (c, o)
        # Ronda 1: M_i = A^(w_i·P(i)) ya ponderado; M = ∏ M_i (producto simple); a = ∏ a_i;
        # b = ∏ b_i; c (6.7).  Ronda 2: v_i = u_i − c·w_i·P(i) y v = Σ v_i.
        M_comb, a, bb, v_sum = 1, 1, 1, 0
        for i in cuorum:
            parte = parciales[i]["partes"][pos]
            M_i, a_i, b_i = e(parte["m"]), e(parte["a"]), e(parte["b"])
            v_i = e(respuestas[i]["respuestas"][pos])
            r[f"{nombre}/parcial/{i}/m"] = M_i == descifrado_parcial(A, pesos[i], secretos[i])
            r[f"{nombre}/parcial/{i}/v_d2"] = verificar_parcial(
                ctx["verificacion"][i], pesos[i], A, M_i, a_i, b_i, reto, v_i
            )
            M_comb = M_comb * M_i % P
            a, bb = a * a_i % P, bb * b_i % P
            v_sum = (v_sum + v_i) % Q
        r[f"{nombre}/m"] = M == M_comb
        r[f"{nombre}/reto"] = reto == e(d["retos"]["retos"][pos]) == reto_descifrado(h_e, K, A, B, a, bb, M)
        r[f"{nombre}/respuesta"] = respuesta == v_sum
        r[f"{nombre}/prueba"] = verificar_descifrado(h_e, K, A, B, M, reto, respuesta)
        T = B * pow(M, -1, P) % P
        t = op["conteo"]
        # V10: 0 ≤ t ≤ N_c y K^t = T; y t es el conteo en claro de las marcas.
        r[f"{nombre}/conteo"] = isinstance(t, int) and 0 <= t <= cotas[c] and pow(K, t, P) == T
        r[f"{nombre}/esperado"] = t == esperados[str(c)][o - 1] == logaritmo(T, K, cotas[c])
    return r


def comprobar_eleccion(v: dict) -> dict[str, bool]:
    """Todas las comprobaciones de los vectores de la elección, de punta a punta."""
    ctx = contexto(v)
    r = comprobar_parametros(v, ctx)
    r.update(comprobar_ceremonia(v, ctx))
    r.update(comprobar_credenciales(v, ctx))
    for nombre, registro in boletas(v):
        r.update(comprobar_boleta(v, ctx, registro, nombre))
    r.update(comprobar_escrutinio(v, ctx))
    r.update(comprobar_descifrado(v, ctx))
    return r
