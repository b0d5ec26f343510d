"""Participantes del simulacro (§22.2): solicitudes válidas según (15.7)–(15.20), reproducibles
con una semilla.

Los 15 países y las 10 entidades son los del simulacro de 2020 del informe; los nombres, los
domicilios y los teléfonos son inventados pero realistas (prefijo y longitud de cada país).
Cada participante lleva además su contraseña, su secreto TOTP y su selección, que solo usa su
propio cliente (nunca se envían al servidor salvo lo que el protocolo pide).
"""

from __future__ import annotations

import random
import unicodedata
from dataclasses import dataclass, field
from datetime import date

#: (22.1) Claves INE de las 10 entidades del simulacro y su peso relativo en la muestra.
ENTIDADES_SIMULACRO: dict[str, tuple[str, int]] = {
    "03": ("Baja California Sur", 3),
    "06": ("Colima", 4),
    "08": ("Chihuahua", 10),
    "12": ("Guerrero", 12),
    "14": ("Jalisco", 22),
    "16": ("Michoacán", 18),
    "18": ("Nayarit", 5),
    "22": ("Querétaro", 6),
    "24": ("San Luis Potosí", 8),
    "32": ("Zacatecas", 12),
}

#: (22.1) Los 15 países del informe: peso, prefijo telefónico, cifras del número nacional
#: (con su primera cifra de móvil) y algunas ciudades con región y código postal.
PAISES_SIMULACRO: dict[str, tuple[int, str, str, int, tuple[tuple[str, str, str], ...]]] = {
    "US": (55, "1", "213", 10, (("Los Ángeles", "California", "90001"), ("Chicago", "Illinois", "60601"),
                               ("Houston", "Texas", "77002"), ("Phoenix", "Arizona", "85004"),
                               ("Dallas", "Texas", "75201"), ("San José", "California", "95113"))),
    "CA": (9, "1", "416", 10, (("Toronto", "Ontario", "M5H 2N2"), ("Montreal", "Quebec", "H2Y 1C6"),
                              ("Vancouver", "Columbia Británica", "V6B 1A1"))),
    "ES": (7, "34", "6", 9, (("Madrid", "Madrid", "28013"), ("Barcelona", "Cataluña", "08002"))),
    "DE": (5, "49", "15", 11, (("Berlín", "Berlín", "10115"), ("Múnich", "Baviera", "80331"))),
    "FR": (4, "33", "6", 9, (("París", "Isla de Francia", "75001"), ("Lyon", "Auvernia-Ródano-Alpes", "69001"))),
    "GB": (4, "44", "7", 10, (("Londres", "Inglaterra", "SW1A 1AA"), ("Mánchester", "Inglaterra", "M1 1AE"))),
    "NL": (2, "31", "6", 9, (("Ámsterdam", "Holanda Septentrional", "1012 JS"),)),
    "CH": (2, "41", "7", 9, (("Zúrich", "Zúrich", "8001"), ("Ginebra", "Ginebra", "1201"))),
    "BE": (2, "32", "4", 9, (("Bruselas", "Bruselas-Capital", "1000"),)),
    "CL": (2, "56", "9", 9, (("Santiago", "Región Metropolitana", "8320000"),)),
    "AT": (1, "43", "6", 10, (("Viena", "Viena", "1010"),)),
    "DK": (1, "45", "2", 8, (("Copenhague", "Capital", "1050"),)),
    "SV": (2, "503", "7", 8, (("San Salvador", "San Salvador", "1101"),)),
    "HU": (1, "36", "3", 9, (("Budapest", "Budapest", "1051"),)),
    "NO": (1, "47", "4", 8, (("Oslo", "Oslo", "0150"),)),
}  # fmt: skip

NOMBRES_MUJER = (
    "María", "Guadalupe", "Juana", "Margarita", "Verónica", "Leticia", "Rosa María", "Alejandra",
    "Patricia", "Elena", "Gabriela", "Adriana", "Claudia", "Sofía", "Ximena", "Fernanda", "Lucía",
    "Itzel", "Andrea", "Mariana", "Daniela", "Araceli", "Yolanda", "Silvia", "María José",
)  # fmt: skip
NOMBRES_HOMBRE = (
    "José", "Juan", "Luis", "Carlos", "Jesús", "Miguel Ángel", "Francisco", "Alejandro", "Roberto",
    "Fernando", "Jorge", "Ricardo", "Eduardo", "Rafael", "Arturo", "Héctor", "Salvador", "Javier",
    "Emiliano", "Diego", "Santiago", "Mateo", "Raúl", "Armando", "Juan Pablo",
)  # fmt: skip
APELLIDOS = (
    "Hernández", "García", "Martínez", "López", "González", "Pérez", "Rodríguez", "Sánchez",
    "Ramírez", "Cruz", "Flores", "Gómez", "Morales", "Vázquez", "Reyes", "Jiménez", "Torres",
    "Díaz", "Gutiérrez", "Ruiz", "Mendoza", "Aguilar", "Ortiz", "Moreno", "Castillo", "Romero",
    "Álvarez", "Méndez", "Chávez", "Rivera", "Juárez", "Ramos", "Domínguez", "Herrera", "Medina",
    "Castro", "Vargas", "Guzmán", "Velázquez", "Muñoz", "Rojas", "de la Cruz", "Contreras", "Salazar",
)  # fmt: skip
CALLES = (
    "Main St.", "Oak Ave.", "Maple Rd.", "Calle Mayor", "Rue de la Paix", "Hauptstraße", "High St.",
    "Elm St.", "Avenida Central", "Kerkstraat", "Bahnhofstrasse", "Park Lane",
)  # fmt: skip

#: Peso de cada opción al elegir (los 7 partidos, las 8 combinaciones de coalición, candidatura
#: no registrada y voto nulo: las 17 opciones de (19.1), en ese orden).
PESOS_OPCIONES = (14, 12, 5, 4, 4, 8, 30, 3, 1, 1, 1, 2, 2, 1, 1, 1, 2)

_BASE36 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


@dataclass(slots=True)
class Participante:
    """Un ciudadano del simulacro: su solicitud y lo que solo él conoce."""

    numero: int
    solicitud: dict[str, str]
    contrasena: str = field(repr=False)
    totp_secreto: str = field(repr=False)
    semilla_eleccion: int
    folio: str = ""
    testigo_activacion: str = field(default="", repr=False)
    credencial: str = field(default="", repr=False)
    paso_totp: int = 0

    @property
    def correo(self) -> str:
        return self.solicitud["correo"]

    @property
    def entidad(self) -> str:
        return self.solicitud["entidad"]

    @property
    def pais(self) -> str:
        return self.solicitud["pais"]

    @property
    def ultimos_digitos(self) -> str:
        return "".join(c for c in self.solicitud["telefono"] if c.isdigit())[-4:]


def _ascii(texto: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", texto) if c.isascii() and c.isalpha()).lower()


def _letras_clave(primer: str, segundo: str, nombres: str) -> str:
    """Seis letras de la clave (15.10), a la manera del INE: dos del primer apellido y dos del
    segundo y del nombre."""
    a = _ascii(primer.replace("de la ", "")).upper() + "XX"
    b = _ascii(segundo.replace("de la ", "") or "X").upper() + "XX"
    c = _ascii(nombres).upper() + "XX"
    return (a[:2] + b[:2] + c[:2])[:6]


def _homoclave(n: int) -> str:
    """Tres caracteres A–Z/0–9 distintos para cada número (36³ > 46 000): claves únicas."""
    return "".join(_BASE36[(n // 36**i) % 36] for i in (2, 1, 0))


def _elegir_ponderado(azar: random.Random, pesos: dict[str, int]) -> str:
    claves = list(pesos)
    return azar.choices(claves, weights=[pesos[k] for k in claves])[0]


def generar_participantes(cantidad: int, semilla: int, hoy: date) -> list[Participante]:
    """(22.2) ``cantidad`` solicitudes distintas entre sí (clave, correo, teléfono), modalidad
    electrónica, en las 10 entidades y los 15 países.  Con la misma semilla, los mismos datos;
    las contraseñas y los secretos TOTP salen de la misma semilla (son datos de prueba)."""
    azar = random.Random(f"vmre-simulacro-participantes:{semilla}")
    entidades = {k: p for k, (_n, p) in ENTIDADES_SIMULACRO.items()}
    paises = {k: v[0] for k, v in PAISES_SIMULACRO.items()}
    # Cada país y cada entidad aparecen al menos una vez si caben.
    orden_paises = list(PAISES_SIMULACRO) if cantidad >= len(PAISES_SIMULACRO) else []
    orden_entidades = list(ENTIDADES_SIMULACRO) if cantidad >= len(ENTIDADES_SIMULACRO) else []
    telefonos: set[str] = set()
    salida: list[Participante] = []
    for n in range(1, cantidad + 1):
        mujer = azar.random() < 0.5
        nombres = azar.choice(NOMBRES_MUJER if mujer else NOMBRES_HOMBRE)
        primer, segundo = azar.choice(APELLIDOS), azar.choice(APELLIDOS)
        if azar.random() < 0.05:
            segundo = ""
        edad = azar.randint(18, 75)
        nacimiento = date(hoy.year - edad - 1, azar.randint(1, 12), azar.randint(1, 28))
        entidad = orden_entidades[n - 1] if n <= len(orden_entidades) else _elegir_ponderado(azar, entidades)
        pais = orden_paises[n - 1] if n <= len(orden_paises) else _elegir_ponderado(azar, paises)
        _peso, lada, inicio, cifras, ciudades = PAISES_SIMULACRO[pais]
        while True:
            nacional = inicio + "".join(str(azar.randint(0, 9)) for _ in range(cifras - len(inicio)))
            telefono = f"+{lada} {nacional[:3]} {nacional[3:6]} {nacional[6:]}"
            if nacional not in telefonos:
                telefonos.add(nacional)
                break
        ciudad, region, cp = azar.choice(ciudades)
        clave = (
            _letras_clave(primer, segundo, nombres)
            + nacimiento.strftime("%y%m%d")
            + entidad
            + ("M" if mujer else "H")
            + _homoclave(n)
        )
        mexicana = azar.random() < 0.6
        local = f"{_ascii(nombres)[:12]}.{_ascii(primer)[:12]}{n}"
        solicitud = {
            "nombres": nombres,
            "primer_apellido": primer,
            "segundo_apellido": segundo,
            "fecha_nacimiento": nacimiento.isoformat(),
            "clave_elector": clave,
            "tipo_credencial": "mexico" if mexicana else "extranjero",
            "ocr": f"{azar.randint(10**12, 10**13 - 1)}" if mexicana else "",
            "cic": "" if mexicana else f"{azar.randint(10**8, 10**9 - 1)}",
            "entidad": entidad,
            "pais": pais,
            "calle_numero": f"{azar.randint(1, 9999)} {azar.choice(CALLES)}",
            "ciudad": ciudad,
            "region": region,
            "codigo_postal": cp,
            "correo": f"{local}@simulacro-vmre.example",
            "telefono": telefono,
            "modalidad": "electronica",
        }
        salida.append(
            Participante(
                numero=n,
                solicitud=solicitud,
                contrasena="simulacro-" + "".join(azar.choice(_BASE36) for _ in range(20)),
                totp_secreto="".join(azar.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567") for _ in range(32)),
                semilla_eleccion=azar.getrandbits(64),
            )
        )
    return salida


def elegir_votantes(
    participantes: list[Participante], votos: int, desafios: int, semilla: int
) -> tuple[list[Participante], set[int]]:
    """(22.3) Quiénes votan (una muestra de ``votos``) y quiénes de ellos desafían primero una
    boleta (``desafios``), reproducibles con la semilla."""
    azar = random.Random(f"vmre-simulacro-votantes:{semilla}")
    votantes = azar.sample(participantes, votos)
    desafiantes = {p.numero for p in azar.sample(votantes, min(desafios, votos))}
    return votantes, desafiantes


def seleccion_de(participante: Participante, contiendas: list[dict[str, object]]) -> dict[int, tuple[int, ...]]:
    """(22.3) La selección del participante en cada contienda de su boleta: una opción con los
    pesos de ``PESOS_OPCIONES``; depende solo de su semilla (no del orden en que vota)."""
    azar = random.Random(participante.semilla_eleccion)
    marcas: dict[int, tuple[int, ...]] = {}
    for c in contiendas:
        opciones = [int(o["indice"]) for o in c["opciones"]]  # type: ignore[attr-defined]
        pesos = [PESOS_OPCIONES[i % len(PESOS_OPCIONES)] for i in range(len(opciones))]
        marcas[int(c["indice"])] = (azar.choices(opciones, weights=pesos)[0],)  # type: ignore[call-overload]
    return marcas
