using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Unicode;

namespace Campaigns.Api.Json;

/// <summary>
/// Writes text as itself (Swahili, Arabic, emoji) instead of <c>\uXXXX</c> escapes, so answers read well
/// in logs and curl, while still escaping what is unsafe to embed in HTML or a script (<c>&lt; &gt; &amp; ' " +</c>),
/// control characters and lone surrogates. The framework's encoder for all ranges leaves every
/// non-ASCII character of the Basic Multilingual Plane alone but always escapes those beyond it (emoji);
/// this one lets a valid scalar beyond it through too.
/// </summary>
public sealed class ReadableJsonEncoder : JavaScriptEncoder
{
    public static readonly ReadableJsonEncoder Instance = new();

    private static readonly JavaScriptEncoder Inner = Create(UnicodeRanges.All);

    private ReadableJsonEncoder()
    {
    }

    public override int MaxOutputCharactersPerInputCharacter => Inner.MaxOutputCharactersPerInputCharacter;

    public override bool WillEncode(int unicodeScalar) => !IsBeyondBasicPlane(unicodeScalar) && Inner.WillEncode(unicodeScalar);

    public override unsafe int FindFirstCharacterToEncode(char* text, int textLength)
    {
        var span = new ReadOnlySpan<char>(text, textLength);
        var start = 0;
        while (start < span.Length)
        {
            var found = Inner.FindFirstCharacterToEncode(text + start, span.Length - start);
            if (found < 0)
            {
                return -1;
            }
            var index = start + found;
            if (Rune.DecodeFromUtf16(span[index..], out var rune, out var length) != OperationStatus.Done || !IsBeyondBasicPlane(rune.Value))
            {
                return index;
            }
            start = index + length;
        }
        return -1;
    }

    public override int FindFirstCharacterToEncodeUtf8(ReadOnlySpan<byte> utf8Text)
    {
        var start = 0;
        while (start < utf8Text.Length)
        {
            var found = Inner.FindFirstCharacterToEncodeUtf8(utf8Text[start..]);
            if (found < 0)
            {
                return -1;
            }
            var index = start + found;
            if (Rune.DecodeFromUtf8(utf8Text[index..], out var rune, out var length) != OperationStatus.Done || !IsBeyondBasicPlane(rune.Value))
            {
                return index;
            }
            start = index + length;
        }
        return -1;
    }

    public override unsafe bool TryEncodeUnicodeScalar(int unicodeScalar, char* buffer, int bufferLength, out int numberOfCharactersWritten) =>
        Inner.TryEncodeUnicodeScalar(unicodeScalar, buffer, bufferLength, out numberOfCharactersWritten);

    // Emoji and other scalars beyond U+FFFF; everything else is the inner encoder's decision.
    private static bool IsBeyondBasicPlane(int unicodeScalar) => unicodeScalar > 0xFFFF;
}
