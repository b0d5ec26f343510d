"""Vectores calculados en Python (y respuestas conocidas publicadas) comprobados en ``vmre.js``.

Una sola página para todo el módulo.  Cada prueba manda a JavaScript las entradas y compara su
salida con la de ``vmre_crypto``: hash (§3: FIPS 180 y RFC 4231 como respuestas conocidas),
H_P del grupo estándar (§4.1, con el valor publicado de EG 2.0), codificaciones b(x, l) (§3.1),
nonces (8.1), cifrados (8.2), hash de contienda (8.4), B_aux (8.6), código de confirmación
(8.5), la lectura de credenciales (17.8)–(17.10), ``contextoDesdeJson`` (23.5: §4, V1, V3.B, V4,
V-G2) y el JSON canónico (§10.2).  La biblioteca JavaScript y sus garantías: §23.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from pathlib import Path
from typing import Any

import pytest
from interop_js import URL_FUENTE_DETERMINISTA, EleccionNavegador, PaginaVmre

from vmre_crypto import (
    GRUPO_ESTANDAR,
    ConfiguracionEleccion,
    ContextoEleccion,
    ElementoP,
    ErrorVMRE,
    Motivo,
    cifrar_boleta,
    decodificar_credencial_secreta,
    deserializar,
    serializar,
)
from vmre_crypto.boletas import codigo_confirmacion, datos_auxiliares, hash_contienda, nonce_seleccion
from vmre_crypto.credenciales import ALFABETO_CREDENCIAL, _crc24
from vmre_crypto.ejemplo import manifiesto_ejemplo
from vmre_crypto.primitivas._aritmetica import FuenteDeterminista
from vmre_crypto.primitivas.elgamal import cifrar
from vmre_crypto.primitivas.hash import H, b, hash_a_q
from vmre_crypto.primitivas.parametros import hash_extendido, hash_parametros
from vmre_crypto.serializacion import texto_canonico
from vmre_crypto.testing.azar import con_semilla

G = GRUPO_ESTANDAR
DATOS = Path(__file__).parents[1] / "vectores" / "datos"

#: Contexto de la elección en la página, decodificado una vez por clave (``arg.clave``).
CONTEXTO_JS = "const ctx = ((globalThis.contextos ??= {})[arg.clave] ??= vmre.contextoDesdeJson(arg.contexto));"


def _hex(x: int, digitos: int) -> str:
    return format(int(x), "X").rjust(digitos, "0")


# -- §3: SHA-256 y HMAC-SHA-256 --------------------------------------------------------------
#: FIPS 180-2, apéndice B (SHA-256): mensajes de un bloque, de dos bloques y un millón de «a».
FIPS_180 = [
    (b"abc", "BA7816BF8F01CFEA414140DE5DAE2223B00361A396177A9CB410FF61F20015AD"),
    (
        b"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
        "248D6A61D20638B8E5C026930C3E6039A33CE45964FF2167F6ECEDD419DB06C1",
    ),
    (b"a" * 1_000_000, "CDC76E5C9914FB9281A1C7E284D73E67F1809A48A497200E046D39CCC7112CD0"),
    (b"", "E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855"),
]

#: RFC 4231 §4.2–§4.8 (HMAC-SHA-256); el caso 5 trunca la salida a 128 bits.
RFC_4231 = [
    ("0B" * 20, b"Hi There".hex(), "B0344C61D8DB38535CA8AFCEAF0BF12B881DC200C9833DA726E9376C2E32CFF7"),
    (
        b"Jefe".hex(),
        b"what do ya want for nothing?".hex(),
        "5BDCC146BF60754E6A042426089575C75A003F089D2739839DEC58B964EC3843",
    ),
    ("AA" * 20, "DD" * 50, "773EA91E36800E46854DB8EBD09181A72959098B3EF8C122D9635514CED565FE"),
    (
        "0102030405060708090A0B0C0D0E0F10111213141516171819",
        "CD" * 50,
        "82558A389A443C0EA4CC819899F2083A85F0FAA3E578F8077A2E3FF46729665B",
    ),
    ("0C" * 20, b"Test With Truncation".hex(), "A3B6167473100EE06E0C796C2955552B"),
    (
        "AA" * 131,
        b"Test Using Larger Than Block-Size Key - Hash Key First".hex(),
        "60E431591EE0B67F0D8A26AACBF5B77F8E0BC6213728C5140546040F0EE37F54",
    ),
    (
        "AA" * 131,
        b"This is a test using a larger than block-size key and a larger than block-size data. "
        b"The key needs to be hashed before being used by the HMAC algorithm.".hex(),
        "9B09FFA71B942FCB27635FBCD5B0E944BFDC63644F0713938A7F51535C3A35E2",
    ),
]


def test_sha256_fips_180_y_bordes_de_relleno(pagina_vmre: PaginaVmre) -> None:
    # Longitudes alrededor de los bordes de bloque (55, 56, 64, 119, 120, 128 bytes…).
    mensajes = [m for m, _ in FIPS_180] + [bytes((7 * i + n) % 256 for i in range(n)) for n in range(0, 200)]
    salidas = pagina_vmre.js("return arg.map((m) => hex(vmre.sha256(bytes(m))));", [m.hex().upper() for m in mensajes])
    assert salidas[: len(FIPS_180)] == [h for _, h in FIPS_180]
    assert salidas == [hashlib.sha256(m).hexdigest().upper() for m in mensajes]


def test_hmac_sha256_rfc_4231_y_python(pagina_vmre: PaginaVmre) -> None:
    casos = [(k.upper(), d.upper()) for k, d, _ in RFC_4231]
    # Claves de 0, 1, 32, 63, 64, 65 y 200 bytes con datos de varias longitudes.
    for largo_clave in (0, 1, 32, 63, 64, 65, 200):
        for largo_datos in (0, 1, 55, 64, 300):
            clave = bytes((3 * i + largo_clave) % 256 for i in range(largo_clave))
            datos = bytes((5 * i + largo_datos) % 256 for i in range(largo_datos))
            casos.append((clave.hex().upper(), datos.hex().upper()))
    salidas = pagina_vmre.js("return arg.map(([k, d]) => hex(vmre.hmacSha256(bytes(k), bytes(d))));", casos)
    for (_, _, esperado), salida in zip(RFC_4231, salidas, strict=False):
        assert salida.startswith(esperado)  # el caso 5 compara solo los 128 bits que publica la RFC
    assert salidas == [
        hmac.new(bytes.fromhex(k), bytes.fromhex(d), hashlib.sha256).hexdigest().upper() for k, d in casos
    ]


def test_h_y_reduccion_a_zq(pagina_vmre: PaginaVmre) -> None:
    """(3.1) H(B0; B1) y (3.4) H_q, con B0 de 32 bytes; otro largo de B0 es un error."""
    casos = [(bytes([i]) * 32, bytes([0x20 + i]) + bytes(range(i * 7 % 256))) for i in range(12)]
    salidas = pagina_vmre.js(
        "return arg.map(([k, d]) => [hex(vmre.H(bytes(k), bytes(d))), vmre.hashAQ(bytes(k), bytes(d)).toString(16)]);",
        [(k.hex(), d.hex()) for k, d in casos],
    )
    for (clave, datos), (h, hq) in zip(casos, salidas, strict=True):
        assert h == H(clave, datos).hex().upper()
        assert int(hq, 16) == hash_a_q(G, clave, datos).valor
    for largo in (0, 31, 33, 64):
        error = pagina_vmre.error_js("vmre.H(new Uint8Array(arg), new Uint8Array(1));", largo)
        assert error.codigo is None and "32 bytes" in error.mensaje


# -- §4.1 y §3.1: grupo, H_P y codificaciones ----------------------------------------------------
def test_grupo_estandar_y_hash_de_parametros(pagina_vmre: PaginaVmre) -> None:
    salida = pagina_vmre.js(
        """return { p: vmre.GRUPO.p.toString(16), q: vmre.GRUPO.q.toString(16), g: vmre.GRUPO.g.toString(16),
                    bytesP: vmre.GRUPO.bytesP, bytesQ: vmre.GRUPO.bytesQ, hP: hex(vmre.hashParametros()) };"""
    )
    assert (int(salida["p"], 16), int(salida["q"], 16), int(salida["g"], 16)) == (G.p, G.q, G.g)
    assert (salida["bytesP"], salida["bytesQ"]) == (512, 32)
    publicado = json.loads((DATOS / "eg20" / "hashes.json").read_text("utf-8"))["h_p"]  # artefacto de EG 2.0
    assert salida["hP"] == hash_parametros(G).hex().upper() == publicado


def test_codificaciones_b_x_l(pagina_vmre: PaginaVmre) -> None:
    """(3.2) b(x, l) big-endian con ceros a la izquierda, y su inversa; hexadecimal en mayúsculas."""
    casos = [(0, 4), (1, 4), (255, 4), (256, 4), (2**32 - 1, 4), (0, 32), (1, 32), (G.q - 1, 32), (2**256 - 1, 32)]
    casos += [(0, 512), (1, 512), (G.g, 512), (G.p - 1, 512), (2**4095 + 12345, 512), (0xABCDEF, 3), (7, 1)]
    salidas = pagina_vmre.js(
        """return arg.map(([x, l]) => {
             const bs = vmre.enteroABytes(BigInt("0x" + x), l);
             return [hex(bs), bs.length, vmre.bytesAEntero(bs).toString(16), vmre.bytesAEntero(bytes(hex(bs))) === BigInt("0x" + x)];
           });""",
        [(format(x, "x"), largo) for x, largo in casos],
    )
    for (x, largo), (codificado, medida, vuelta, ida_y_vuelta) in zip(casos, salidas, strict=True):
        assert codificado == b(x, largo).hex().upper()
        assert medida == largo and int(vuelta, 16) == x and ida_y_vuelta
    assert pagina_vmre.js('return hex(bytes("00ff10ab"));') == "00FF10AB"


# -- §8: nonces, cifrados, hash de contienda, B_aux y código --------------------------------------
def test_nonces_cifrados_hash_de_contienda_baux_y_codigo(pagina_vmre: PaginaVmre, eleccion: EleccionNavegador) -> None:
    contexto = eleccion.contexto
    nonce_boleta = bytes(range(100, 132))
    id_boleta = "00FF" * 8
    estilo = "CDMX"
    marcas = {2: (1, 4), 3: (2,), 4: (1, 3, 5)}
    credencial = eleccion.credenciales[0]
    with con_semilla("vmre-navegador/vector-8"):
        boleta = cifrar_boleta(
            contexto, estilo, marcas, credencial, id_boleta=id_boleta, nonce_boleta=nonce_boleta
        ).boleta
    salida = pagina_vmre.js(
        CONTEXTO_JS
        + """
        const xiB = bytes(arg.nonce);
        const nonces = arg.pares.map(([c, o]) => vmre.nonceSeleccion(ctx, xiB, c, o).toString(16));
        const cred = vmre.leerCredencial(arg.credencial);
        // Con ξ_B e id fijos, los cifrados, los χ y el código no dependen del azar (solo las pruebas).
        const r = vmre.cifrarBoleta(ctx, arg.estilo, arg.marcas, cred, { nonceBoleta: xiB, idBoleta: arg.id });
        const chis = r.boleta.contiendas.map((c) =>
          hex(vmre.hashContienda(ctx, c.indice, c.selecciones.map((s) => ({ alfa: BigInt("0x" + s.cifrado.alfa), beta: BigInt("0x" + s.cifrado.beta) })))));
        const auxCon = vmre.datosAuxiliares(arg.id, arg.estilo, cred.publica);
        const auxSin = vmre.datosAuxiliares(arg.id, "Año-Ñ ü", null);
        const codigo = hex(vmre.codigoConfirmacion(ctx, r.boleta.contiendas.map((c) => bytes(c.hash_contienda)), auxCon));
        return { nonces, cifrados: r.boleta.contiendas.map((c) => c.selecciones.map((s) => s.cifrado)),
                 chis, enBoleta: r.boleta.contiendas.map((c) => c.hash_contienda), auxCon: hex(auxCon), auxSin: hex(auxSin),
                 codigo, codigoBoleta: r.boleta.codigo_confirmacion };
        """,
        {
            "clave": "eleccion",
            "contexto": eleccion.contexto_json,
            "nonce": nonce_boleta.hex(),
            "pares": [(c, o) for c in (2, 3, 4) for o in range(1, len(contexto.manifiesto.contienda(c).opciones) + 1)],
            "credencial": eleccion.texto_credencial(0),
            "estilo": estilo,
            "marcas": {str(c): list(o) for c, o in marcas.items()},
            "id": id_boleta,
        },
    )
    # (8.1) ξ_(c,o)
    pares = [(c, o) for c in (2, 3, 4) for o in range(1, len(contexto.manifiesto.contienda(c).opciones) + 1)]
    assert [int(x, 16) for x in salida["nonces"]] == [
        nonce_seleccion(contexto, nonce_boleta, c, o).valor for c, o in pares
    ]
    # (8.2) (α, β) = (g^ξ, K^(σ+ξ)), calculados aparte en Python con elgamal.cifrar.
    for contienda_c, cifrados_js in zip(boleta.contiendas, salida["cifrados"], strict=True):
        for posicion, cifrado_js in enumerate(cifrados_js, start=1):
            sigma = int(posicion in marcas[contienda_c.indice])
            esperado = cifrar(
                contexto.llave, sigma, nonce_seleccion(contexto, nonce_boleta, contienda_c.indice, posicion)
            )
            assert cifrado_js == {"alfa": _hex(esperado.alfa.valor, 1024), "beta": _hex(esperado.beta.valor, 1024)}
    # (8.4) χ, (8.6) B_aux con y sin credencial (estilo con caracteres de varios bytes), (8.5) H(B).
    chis = [
        hash_contienda(contexto, c.indice, (s.cifrado for s in c.selecciones)).hex().upper() for c in boleta.contiendas
    ]
    assert salida["chis"] == salida["enBoleta"] == chis
    aux = datos_auxiliares(contexto, id_boleta, estilo, credencial.publica)
    assert salida["auxCon"] == aux.hex().upper() and len(aux) == 556 + len(estilo)
    assert salida["auxSin"] == datos_auxiliares(contexto, id_boleta, "Año-Ñ ü", None).hex().upper()
    codigo = codigo_confirmacion(contexto, (bytes.fromhex(c) for c in chis), aux).hex().upper()
    assert salida["codigo"] == salida["codigoBoleta"] == codigo == boleta.codigo_confirmacion.hex().upper()


def test_vectores_publicados_de_la_eleccion(pagina_vmre: PaginaVmre) -> None:
    """``tests/vectores/datos/vectores_eleccion.json`` (§12.2): nonces de la boleta desafiada,
    su apertura y las boletas depositadas, todos aceptados por JavaScript."""
    vectores = json.loads((DATOS / "vectores_eleccion.json").read_text("utf-8"))
    configuracion = ConfiguracionEleccion(
        vectores["configuracion"]["custodios"],
        vectores["configuracion"]["cuorum"],
        vectores["configuracion"]["fecha"],
        vectores["configuracion"]["info"],
        manifiesto_ejemplo(),
    )
    llave = ElementoP(int(vectores["ceremonia"]["registro"]["llave_conjunta"], 16), G)
    contexto = ContextoEleccion.crear(configuracion, llave)
    assert contexto.h_e.hex().upper() == vectores["h_e"]
    desafiada = vectores["boleta_desafiada"]
    salida = pagina_vmre.js(
        CONTEXTO_JS
        + """
        const xiB = bytes(arg.desafiada.nonce_boleta);
        const nonces = {};
        for (const [c, lista] of Object.entries(arg.desafiada.nonces_seleccion)) {
          nonces[c] = lista.map((_, k) => vmre.nonceSeleccion(ctx, xiB, Number(c), k + 1).toString(16).toUpperCase().padStart(64, "0"));
        }
        for (const d of arg.depositadas) vmre.verificarBoleta(ctx, d.boleta);
        return { h_e: hex(ctx.h_e), nonces, abierta: vmre.abrirBoleta(ctx, arg.desafiada.boleta, arg.desafiada.apertura) };
        """,
        {
            "clave": "vectores-publicados",
            "contexto": json.loads(serializar(contexto)),
            "desafiada": desafiada,
            "depositadas": vectores["boletas_depositadas"],
        },
    )
    assert salida["h_e"] == vectores["h_e"]
    assert salida["nonces"] == desafiada["nonces_seleccion"]
    assert salida["abierta"] == desafiada["marcas"]


# -- (17.8)–(17.10): texto de la credencial -------------------------------------------------------
def _texto_con_crc(x: int) -> str:
    """Texto de credencial bien formado (CRC correcto) para cualquier x de 32 bytes, incluso x ∉ 1..q−1."""
    carga = x.to_bytes(32, "big")
    carga += _crc24(carga).to_bytes(3, "big")
    entero = int.from_bytes(carga, "big")
    simbolos = "".join(ALFABETO_CREDENCIAL[(entero >> (5 * (55 - k))) & 31] for k in range(56))
    return "-".join(simbolos[k : k + 4] for k in range(0, 56, 4))


def test_credenciales_validas_y_sus_variantes(pagina_vmre: PaginaVmre, eleccion: EleccionNavegador) -> None:
    textos = []
    for i in range(len(eleccion.credenciales)):
        t = eleccion.texto_credencial(i)
        limpio = t.replace("-", "")
        # Minúsculas, espacios en vez de guiones, sin separadores, O por 0 e I/L por 1 (17.10).
        variantes = [t, t.lower(), " ".join(t.split("-")), limpio, f"\t{limpio[:28]}\n{limpio[28:]} "]
        variantes.append(t.replace("0", "O").replace("1", "I"))
        variantes.append(t.replace("1", "l"))
        textos += [(i, v) for v in variantes]
    salidas = pagina_vmre.js(
        "return arg.map((t) => { const c = vmre.leerCredencial(t); return [c.secreta.toString(16), c.publica.toString(16)]; });",
        [v for _, v in textos],
    )
    for (i, variante), (secreta, publica) in zip(textos, salidas, strict=True):
        par = eleccion.credenciales[i]
        assert decodificar_credencial_secreta(G, variante).publica == par.publica  # Python acepta lo mismo
        assert (int(secreta, 16), int(publica, 16)) == (par.secreta.valor, par.publica.valor), variante


def test_credencial_con_un_simbolo_cambiado_o_dos_intercambiados_se_rechaza(
    pagina_vmre: PaginaVmre, eleccion: EleccionNavegador
) -> None:
    """Cada símbolo cambiado por cada otro del alfabeto (56 × 31) y cada par contiguo distinto
    intercambiado: `formato_invalido` en JavaScript y en Python."""
    limpio = eleccion.texto_credencial(1).replace("-", "")
    errores = []
    for k, simbolo in enumerate(limpio):
        errores += [limpio[:k] + otro + limpio[k + 1 :] for otro in ALFABETO_CREDENCIAL if otro != simbolo]
    errores += [
        limpio[:k] + limpio[k + 1] + limpio[k] + limpio[k + 2 :] for k in range(55) if limpio[k] != limpio[k + 1]
    ]
    assert len(errores) > 56 * 31
    codigos = pagina_vmre.js(
        """return arg.map((t) => { try { vmre.leerCredencial(t); return "aceptada"; } catch (e) { return e.codigo; } });""",
        errores,
    )
    assert set(codigos) == {"formato_invalido"}
    for texto in errores:
        with pytest.raises(ErrorVMRE) as info:
            decodificar_credencial_secreta(G, texto)
        assert info.value.motivo is Motivo.FORMATO_INVALIDO


@pytest.mark.parametrize(
    ("texto", "codigo"),
    [
        (_texto_con_crc(0), "fuera_de_rango_q"),
        (_texto_con_crc(G.q), "fuera_de_rango_q"),
        (_texto_con_crc(2**256 - 1), "fuera_de_rango_q"),
        ("ABCD-" * 13 + "ABC", "formato_invalido"),  # 55 símbolos
        ("ABCD-" * 14 + "A", "formato_invalido"),  # 57 símbolos
        ("U" + "0" * 55, "formato_invalido"),  # U no es de Crockford
        ("", "formato_invalido"),
    ],
    ids=["x=0", "x=q", "x=2^256-1", "55-simbolos", "57-simbolos", "simbolo-U", "vacia"],
)
def test_credencial_fuera_de_rango_o_mal_formada(pagina_vmre: PaginaVmre, texto: str, codigo: str) -> None:
    with pytest.raises(ErrorVMRE) as info:
        decodificar_credencial_secreta(G, texto)
    assert info.value.motivo.value == codigo
    assert pagina_vmre.error_js("vmre.leerCredencial(arg);", texto).codigo == codigo


# -- §4: contextoDesdeJson ---------------------------------------------------------------------
def test_contexto_real_aceptado(pagina_vmre: PaginaVmre, eleccion: EleccionNavegador) -> None:
    salida = pagina_vmre.js(
        """const c = vmre.contextoDesdeJson(arg);
           return { h_e: hex(c.h_e), llave: c.llave.toString(16), manifiesto: vmre.textoCanonico(c.manifiesto),
                    estilo: c.estilo("CDMX").contiendas, contienda: c.contienda(4).limite_seleccion };""",
        eleccion.contexto_json,
    )
    contexto = eleccion.contexto
    assert salida["h_e"] == contexto.h_e.hex().upper()
    assert int(salida["llave"], 16) == contexto.llave.valor
    assert salida["manifiesto"].encode("utf-8") == contexto.manifiesto.bytes_canonicos()
    assert (salida["estilo"], salida["contienda"]) == ([2, 3, 4], 3)


def _con_llave(documento: dict[str, Any], llave: int) -> dict[str, Any]:
    """El contexto con otra K y un H_E recalculado para ella: solo la comprobación de K falla."""
    documento["llave"] = _hex(llave, 1024)
    h_b = bytes.fromhex(documento["h_b"])
    documento["h_e"] = hash_extendido(h_b, ElementoP._confiable(llave, G)).hex().upper()
    return documento


def _alterar_hex(valor: str) -> str:
    return ("1" if valor[0] != "1" else "2") + valor[1:]


ALTERACIONES_CONTEXTO = {
    "h_e": lambda d: d.update(h_e=_alterar_hex(d["h_e"])),
    "h_b": lambda d: d.update(h_b=_alterar_hex(d["h_b"])),
    "h_p": lambda d: d.update(h_p=_alterar_hex(d["h_p"])),
    "k_otro_del_subgrupo": lambda d: d.update(llave=_hex(int(d["llave"], 16) * G.g % G.p, 1024)),
    "k_fuera_del_subgrupo": lambda d: _con_llave(d, G.p - 1),
    "k_no_residuo": lambda d: _con_llave(d, 3 if pow(3, G.q, G.p) != 1 else 5),
    "k_igual_a_1": lambda d: _con_llave(d, 1),
    "k_igual_a_p": lambda d: d.update(llave=_hex(G.p, 1024)),
    "k_minusculas": lambda d: d.update(llave=d["llave"].lower()),
    "manifiesto": lambda d: d["configuracion"]["manifiesto"]["contiendas"][1]["opciones"][0].update(
        etiqueta="Fórmula Nandu"
    ),
    "limite": lambda d: d["configuracion"]["manifiesto"]["contiendas"][3].update(limite_seleccion=2),
    "info": lambda d: d["configuracion"].update(info=d["configuracion"]["info"] + " "),
    "cuorum": lambda d: d["configuracion"].update(cuorum=4),
    "version": lambda d: d.update(version="vmre-0.9"),
    "tipo": lambda d: d.update(tipo="boleta_cifrada"),
}


@pytest.mark.parametrize("alteracion", list(ALTERACIONES_CONTEXTO))
def test_contexto_alterado_rechazado(pagina_vmre: PaginaVmre, eleccion: EleccionNavegador, alteracion: str) -> None:
    documento = eleccion.contexto_json
    ALTERACIONES_CONTEXTO[alteracion](documento)
    with pytest.raises(ErrorVMRE):  # Python también lo rechaza
        deserializar(texto_canonico(documento), ContextoEleccion, G)
    assert pagina_vmre.error_js("vmre.contextoDesdeJson(arg);", documento).codigo == "contexto_invalido"


# -- §10.2: JSON canónico -----------------------------------------------------------------------
VALORES_CANONICOS: list[Any] = [
    {"b": 1, "a": [3, 2, 1], "c": {"z": None, "y": True, "x": False}},
    {
        "etiqueta": "Diputación migrante — año 2027, señoría",
        "ñandú": "Peña Ibáñez Güemes",
        "Ñ": "ñ",
        "é": "e",
        "e": "é",
    },
    ['comillas " y \\ barra', "control \x00\x01\x08\t\n\x0b\x0c\r\x1f fin", "/ \x7f \u2028 \u2029 € 😀"],
    {"": 0, "0": -1, "10": 4294967295, "9": 9007199254740991, "A": [], "a": {}, "lista": [[], [{}], [None]]},
    "texto suelto con acentos: áéíóú ÁÉÍÓÚ ü",
    12345,
    None,
]


def test_texto_canonico_igual_al_de_python(pagina_vmre: PaginaVmre, eleccion: EleccionNavegador) -> None:
    valores = [*VALORES_CANONICOS, eleccion.contexto_json, json.loads(serializar(eleccion.contexto.manifiesto))]
    salidas = pagina_vmre.js("return arg.map((v) => vmre.textoCanonico(v));", valores)
    assert salidas == [texto_canonico(v) for v in valores]


def test_texto_canonico_ordena_llaves_por_punto_de_codigo(pagina_vmre: PaginaVmre) -> None:
    """§10.2 (3): orden por punto de código Unicode.  Difiere del orden UTF-16 de ``Array.sort``
    cuando una llave tiene un carácter fuera del plano básico y otra uno de U+E000–U+FFFF."""
    valor = {"😀": 1, "\uff01": 2, "é": 3, "z": 4, "\ue000": 5, "𝄞": 6}
    assert pagina_vmre.js("return vmre.textoCanonico(arg);", valor) == texto_canonico(valor)


# -- La fuente determinista de las pruebas es la de Python -------------------------------------------
def test_fuente_determinista_js_igual_a_la_de_python(pagina_vmre: PaginaVmre) -> None:
    cotas = [1, 2, 3, 255, 256, 257, 2**64 + 1, G.q, G.p]
    salida = pagina_vmre.js(
        f"""const {{ FuenteDeterminista }} = await importar("{URL_FUENTE_DETERMINISTA}");
        const f = new FuenteDeterminista("semilla ñ");
        const sal = [hex(f.bytes(32)), hex(f.bytes(16)), hex(f.bytes(1)), hex(f.bytes(100))];
        for (const c of arg) sal.push(f.bajo(BigInt("0x" + c)).toString(16));
        return sal;""",
        [format(c, "x") for c in cotas],
    )
    fuente = FuenteDeterminista("semilla ñ".encode())
    esperado = [fuente.bits(8 * n).to_bytes(n, "big").hex().upper() for n in (32, 16, 1, 100)]
    esperado += [format(fuente.bajo(c), "x") for c in cotas]
    assert salida == esperado
