using System.Security.Cryptography;
using System.Text;

namespace Campaigns.ProviderSimulator.Twilio;

/// <summary>
/// <c>X-Twilio-Signature</c>: base64 of HMAC-SHA1, keyed with the auth token, of the full URL (query
/// included) followed by each POST parameter's name and value, sorted by name.
/// </summary>
public static class TwilioSignature
{
    public const string Header = "X-Twilio-Signature";

    public static string Sign(Uri url, IEnumerable<KeyValuePair<string, string>> form, string authToken)
    {
        var data = new StringBuilder(url.AbsoluteUri);
        foreach (var (name, value) in form.OrderBy(field => field.Key, StringComparer.Ordinal).ThenBy(field => field.Value, StringComparer.Ordinal))
        {
            data.Append(name).Append(value);
        }
        return Convert.ToBase64String(HMACSHA1.HashData(Encoding.UTF8.GetBytes(authToken), Encoding.UTF8.GetBytes(data.ToString())));
    }
}
