using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Primitives;

namespace Campaigns.Api.Webhooks;

/// <summary>
/// Twilio's proof of origin, <c>X-Twilio-Signature</c>: base64 of HMAC-SHA1, keyed with the account's
/// auth token, of the full URL Twilio called (query included) followed by every POST parameter's name
/// and value, sorted by name (ordinal).
/// </summary>
public static class TwilioSignature
{
    public const string HeaderName = "X-Twilio-Signature";

    public static bool IsValid(string? presented, string authToken, string url, IFormCollection form)
    {
        if (string.IsNullOrEmpty(presented))
        {
            return false;
        }
        var expected = Compute(authToken, url, form);
        var given = new byte[presented.Length];
        return Convert.TryFromBase64String(presented, given, out var length)
            && CryptographicOperations.FixedTimeEquals(given.AsSpan(0, length), expected);
    }

    public static byte[] Compute(string authToken, string url, IEnumerable<KeyValuePair<string, StringValues>> form)
    {
        var data = new StringBuilder(url);
        foreach (var (name, values) in form.OrderBy(parameter => parameter.Key, StringComparer.Ordinal))
        {
            // As Twilio's own validators: a repeated parameter's values sorted, each once.
            foreach (var value in values.Distinct().Order(StringComparer.Ordinal))
            {
                data.Append(name).Append(value);
            }
        }
        return HMACSHA1.HashData(Encoding.UTF8.GetBytes(authToken), Encoding.UTF8.GetBytes(data.ToString()));
    }
}
