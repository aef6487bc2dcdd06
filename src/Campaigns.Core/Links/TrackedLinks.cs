using System.Security.Cryptography;
using System.Text;

namespace Campaigns.Core.Links;

/// <summary>
/// Finds the URLs of a rendered message and replaces each with a short link (api.md, "Variants, links and
/// languages"): a URL starts at <c>http://</c> or <c>https://</c> (any case) and ends at whitespace, less any trailing
/// <c>.,;:!?)</c>. The same URL twice in one message shares one code: codes are unique per message and URL.
/// </summary>
public static class TrackedLinks
{
    public const int CodeLength = 8;
    private const string Alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    private const string TrailingPunctuation = ".,;:!?)";

    /// <summary>What preview shows in place of a code: nothing is stored, so no code is made.</summary>
    public const string PreviewCode = "xxxxxxxx";

    /// <summary>A URL found in a text: where it starts and how long it is.</summary>
    public readonly record struct Found(int Start, int Length);

    /// <summary>What precedes every code: <paramref name="baseUrl"/> (the public origin of <c>GET /l/{code}</c>, <c>Links:BaseUrl</c>) without a trailing slash, then <c>/l/</c>.</summary>
    public static string PrefixOf(string baseUrl) => baseUrl.TrimEnd('/') + "/l/";

    /// <summary>The URLs of <paramref name="text"/>, in order.</summary>
    public static List<Found> Find(string text)
    {
        var found = new List<Found>();
        var at = 0;
        while (at < text.Length)
        {
            var start = NextScheme(text, at, out var schemeLength);
            if (start < 0)
            {
                break;
            }
            var end = start + schemeLength;
            while (end < text.Length && !char.IsWhiteSpace(text[end]))
            {
                end++;
            }
            var last = end;
            while (last > start + schemeLength && TrailingPunctuation.Contains(text[last - 1]))
            {
                last--;
            }
            if (last > start + schemeLength)
            {
                found.Add(new Found(start, last - start));
            }
            at = end;
        }
        return found;
    }

    /// <summary>
    /// <paramref name="text"/> with each URL replaced by <c>{prefix}{code}</c>; <paramref name="codeFor"/> gives the
    /// code of a URL (called once per distinct URL of the text). The text itself when it holds no URL.
    /// </summary>
    public static string Shorten(string text, string prefix, Func<string, string> codeFor)
    {
        var found = Find(text);
        if (found.Count == 0)
        {
            return text;
        }
        var codes = new Dictionary<string, string>(StringComparer.Ordinal);
        var shortened = new StringBuilder(text.Length);
        var copied = 0;
        foreach (var (start, length) in found)
        {
            var url = text.Substring(start, length);
            if (!codes.TryGetValue(url, out var code))
            {
                code = codeFor(url);
                codes.Add(url, code);
            }
            shortened.Append(text, copied, start - copied).Append(prefix).Append(code);
            copied = start + length;
        }
        return shortened.Append(text, copied, text.Length - copied).ToString();
    }

    /// <summary>
    /// A template's text as the rendered-length rule measures it when links are tracked: each URL of the template's own
    /// text at the short link's length. A URL stops at a placeholder here, which keeps its longest value as text: a
    /// value may hold whitespace, ending the URL, so the bound is the short link and the whole value after it.
    /// </summary>
    public static string ShortenTemplateText(string templateText, string prefix)
    {
        var found = Find(templateText);
        if (found.Count == 0)
        {
            return templateText;
        }
        var shortened = new StringBuilder(templateText.Length);
        var copied = 0;
        foreach (var (start, length) in found)
        {
            var placeholder = templateText.IndexOf('{', start, length);
            var urlLength = placeholder < 0 ? length : placeholder - start;
            shortened.Append(templateText, copied, start - copied).Append(prefix).Append(PreviewCode);
            copied = start + urlLength;
        }
        return shortened.Append(templateText, copied, templateText.Length - copied).ToString();
    }

    /// <summary>
    /// The URL as a <c>Location</c> header can carry it: as written when it is printable ASCII; else (a message may hold
    /// <c>https://例え.jp/パス</c>) the host in punycode when it parses as a URI, and every other character outside
    /// printable ASCII percent-encoded as UTF-8.
    /// </summary>
    public static string ForLocationHeader(string url)
    {
        if (url.All(c => c is > ' ' and < '\u007f'))
        {
            return url;
        }
        if (Uri.TryCreate(url, UriKind.Absolute, out var uri))
        {
            var host = uri.HostNameType == UriHostNameType.Dns ? uri.IdnHost : uri.Host;
            url = $"{uri.Scheme}://{(uri.UserInfo.Length > 0 ? uri.UserInfo + "@" : "")}{host}{(uri.IsDefaultPort ? "" : ":" + uri.Port)}"
                  + uri.PathAndQuery + uri.Fragment;
        }
        var encoded = new StringBuilder(url.Length * 3);
        Span<byte> bytes = stackalloc byte[4];
        foreach (var rune in url.EnumerateRunes())
        {
            if (rune.Value is > ' ' and < 0x7f)
            {
                encoded.Append((char)rune.Value);
                continue;
            }
            var length = rune.EncodeToUtf8(bytes);
            foreach (var b in bytes[..length])
            {
                encoded.Append('%').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            }
        }
        return encoded.ToString();
    }

    /// <summary>A fresh code: eight characters of [0-9A-Za-z] from the cryptographic generator (unguessable, unordered).</summary>
    public static string NewCode() => RandomNumberGenerator.GetString(Alphabet, CodeLength);

    /// <summary>Whether <paramref name="code"/> could be a code at all (anything else is answered 404 without a lookup).</summary>
    public static bool IsWellFormed(string code) =>
        code.Length == CodeLength && code.All(c => char.IsAsciiLetterOrDigit(c));

    private static int NextScheme(string text, int from, out int schemeLength)
    {
        for (var i = text.IndexOf(':', from); i >= 0; i = text.IndexOf(':', i + 1))
        {
            if (i + 3 > text.Length || text[i + 1] != '/' || text[i + 2] != '/')
            {
                continue;
            }
            if (i >= from + 5 && text.AsSpan(i - 5, 5).Equals("https", StringComparison.OrdinalIgnoreCase))
            {
                schemeLength = 8;
                return i - 5;
            }
            if (i >= from + 4 && text.AsSpan(i - 4, 4).Equals("http", StringComparison.OrdinalIgnoreCase))
            {
                schemeLength = 7;
                return i - 4;
            }
        }
        schemeLength = 0;
        return -1;
    }
}
