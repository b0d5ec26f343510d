"""Cuentas del personal: alta, activación (contraseña + TOTP) y autenticación."""

from __future__ import annotations

import re

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..bd.personal import Usuario
from ..errores import Codigo, ErrorServidor
from . import bitacora
from .roles import Rol
from .secretos import ContrasenaVerificada, hash_contrasena, problema_contrasena, verificar_contrasena, verificar_totp

_USUARIO = re.compile(r"^[a-z][a-z0-9._-]{2,63}$")
_CORREO = re.compile(r"^[^@\s]{1,64}@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$")


def crear_usuario(bd: Session, usuario: str, nombre: str, correo: str, rol: Rol, actor: str, rol_actor: str) -> Usuario:
    usuario = usuario.strip().lower()
    if not _USUARIO.match(usuario):
        raise ErrorServidor(
            Codigo.VALOR_INVALIDO,
            "El usuario debe tener de 3 a 64 letras minúsculas, dígitos, '.', '_' o '-'.",
            campo="usuario",
        )
    if not nombre.strip() or len(nombre) > 200:
        raise ErrorServidor(Codigo.VALOR_INVALIDO, "Escriba el nombre completo.", campo="nombre")
    correo = correo.strip().lower()
    if not _CORREO.match(correo):
        raise ErrorServidor(Codigo.VALOR_INVALIDO, "El correo electrónico no es válido.", campo="correo")
    if bd.scalar(
        select(func.count()).select_from(Usuario).where((Usuario.usuario == usuario) | (Usuario.correo == correo))
    ):
        raise ErrorServidor(Codigo.CONFLICTO, "Ya existe una cuenta con ese usuario o correo.", 409)
    fila = Usuario(usuario=usuario, nombre=nombre.strip(), correo=correo, rol=rol.value)
    bd.add(fila)
    bd.flush()
    bitacora.anotar(bd, actor, rol_actor, "crear_usuario", f"usuario:{fila.id}", {"usuario": usuario, "rol": rol.value})
    return fila


def activar(bd: Session, fila: Usuario, contrasena: str, totp_secreto: str, codigo: str) -> None:
    """Fija contraseña y segundo factor; el código demuestra que la app autenticadora quedó enrolada."""
    problema = problema_contrasena(contrasena)
    if problema:
        raise ErrorServidor(Codigo.VALOR_INVALIDO, problema, campo="contrasena")
    paso = verificar_totp(totp_secreto, codigo, 0)
    if paso is None:
        raise ErrorServidor(
            Codigo.SEGUNDO_FACTOR_INVALIDO,
            "El código de 6 dígitos no coincide. Revise la hora de su teléfono e intente de nuevo.",
            campo="codigo",
        )
    fila.hash_contrasena = hash_contrasena(contrasena)
    fila.totp_secreto = totp_secreto
    fila.ultimo_paso_totp = paso
    fila.activo = True
    bitacora.anotar(bd, f"usuario:{fila.id}", fila.rol, "activar_cuenta", f"usuario:{fila.id}")


def autenticar(
    bd: Session, usuario: str, contrasena: str, codigo: str, verificada: ContrasenaVerificada | None = None
) -> Usuario:
    """Contraseña y TOTP juntos: el error no dice cuál de los dos falló.

    ``verificada``: la contraseña ya se comprobó con argon2id fuera de la transacción (18.6); aquí
    solo se confirma que la cuenta conserva el mismo hash.
    """
    fila = bd.scalars(select(Usuario).where(Usuario.usuario == usuario.strip().lower())).first()
    hash_actual = fila.hash_contrasena if fila else None
    if verificada is not None:
        ok_contrasena = verificada.vale_para(hash_actual)
    else:
        ok_contrasena = verificar_contrasena(hash_actual, contrasena)
    if fila is None or not ok_contrasena:
        raise ErrorServidor(Codigo.CREDENCIALES_INVALIDAS, "Usuario, contraseña o código incorrectos.", 401)
    if not fila.activo:
        raise ErrorServidor(Codigo.CUENTA_INACTIVA, "La cuenta aún no está activada.", 403)
    paso = verificar_totp(fila.totp_secreto, codigo, fila.ultimo_paso_totp)
    if paso is None:
        raise ErrorServidor(Codigo.CREDENCIALES_INVALIDAS, "Usuario, contraseña o código incorrectos.", 401)
    fila.ultimo_paso_totp = paso
    bitacora.anotar(bd, f"usuario:{fila.id}", fila.rol, "iniciar_sesion", f"usuario:{fila.id}")
    return fila
