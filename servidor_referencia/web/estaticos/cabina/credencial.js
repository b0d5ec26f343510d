// Forma de la credencial de votación escrita por el elector (17.9)–(17.10), antes de pasarla al
// trabajador: 56 símbolos de base32 de Crockford.  Aquí solo se explica un error de copia evidente
// (largo o símbolo imposible); el CRC-24 y el rango los comprueba la biblioteca en el trabajador
// (orden «credencial», §23.8).

const ALFABETO = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
const SIMBOLOS = 56;

/** Un mensaje en español si la forma no puede ser la de una credencial; si no, null. */
export function revisarFormaCredencial(texto) {
  const limpio = String(texto)
    .toUpperCase()
    .replace(/[\s-]/g, "")
    .replace(/O/g, "0")
    .replace(/[IL]/g, "1");
  if (limpio.length === 0) return "Escriba o pegue su credencial de votación.";
  for (const simbolo of limpio) {
    if (!ALFABETO.includes(simbolo)) {
      return `El símbolo «${simbolo}» no puede aparecer en una credencial de votación. Revise que la copió sin errores.`;
    }
  }
  if (limpio.length !== SIMBOLOS) {
    return (
      `La credencial tiene ${SIMBOLOS} letras y números (sin contar guiones); usted escribió ${limpio.length}. ` +
      "Revise que la copió completa."
    );
  }
  return null;
}
