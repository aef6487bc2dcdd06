namespace Campaigns.Core.Templates;

/// <summary>
/// The GSM 03.38 default alphabet as a lookup: how many septets a character costs (1 in the basic set,
/// 2 in the extension table, which is reached through an escape septet) or 0 when it cannot be sent in GSM-7.
/// </summary>
internal static class Gsm7Alphabet
{
    // The basic set in table order (0x00–0x7F), without 0x1B, the escape to the extension table.
    private const string BasicSet =
        "@£$¥èéùìòÇ\nØø\rÅå" +
        "Δ_ΦΓΛΩΠΨΣΘΞÆæßÉ" +
        " !\"#¤%&'()*+,-./" +
        "0123456789:;<=>?" +
        "¡ABCDEFGHIJKLMNO" +
        "PQRSTUVWXYZÄÖÑÜ§" +
        "¿abcdefghijklmno" +
        "pqrstuvwxyzäöñüà";

    // The extension table: form feed, ^ { } \ [ ~ ] | and the euro sign.
    private const string ExtensionSet = "\f^{}\\[~]|€";

    // Every character of both sets is below U+0400 (Latin-1 and the Greek capitals) except the euro sign,
    // so a 1 KB table answers all of them with one index and the euro sign gets its own comparison.
    private const char Euro = '€';
    private static readonly byte[] SeptetsBelow0400 = BuildTable();

    /// <summary>1 for the basic set, 2 for the extension table, 0 for a character GSM-7 cannot carry.</summary>
    public static int SeptetsOf(char c) =>
        c < SeptetsBelow0400.Length ? SeptetsBelow0400[c] : c == Euro ? 2 : 0;

    private static byte[] BuildTable()
    {
        var table = new byte[0x400];
        foreach (var c in BasicSet)
        {
            table[c] = 1;
        }
        foreach (var c in ExtensionSet)
        {
            if (c != Euro)
            {
                table[c] = 2;
            }
        }
        return table;
    }
}
