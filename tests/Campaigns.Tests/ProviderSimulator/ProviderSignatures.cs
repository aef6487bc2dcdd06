using System.Security.Cryptography;
using System.Text;

namespace Campaigns.Tests.ProviderSimulator;

/// <summary>
/// Twilio's and Meta's webhook signatures computed here from their documentation, apart from the
/// simulator's code, so a receipt the simulator signs is proven to verify as the providers' would.
/// </summary>
public static class ProviderSignatures
{
    /// <summary>
    /// https://www.twilio.com/docs/usage/webhooks/webhooks-security: the full URL, then every POST
    /// parameter's name and value appended in the parameters' alphabetical order, HMAC-SHA1 with the
    /// auth token, base64.
    /// </summary>
    public static string Twilio(string url, IReadOnlyDictionary<string, string> form, string authToken)
    {
        var signed = url + string.Concat(form.Keys.Order(StringComparer.Ordinal).Select(name => name + form[name]));
        using var hmac = new HMACSHA1(Encoding.UTF8.GetBytes(authToken));
        return Convert.ToBase64String(hmac.ComputeHash(Encoding.UTF8.GetBytes(signed)));
    }

    /// <summary>
    /// https://developers.facebook.com/docs/graph-api/webhooks/getting-started: <c>sha256=</c> and the
    /// HMAC-SHA256 of the raw payload with the app secret, in lowercase hex.
    /// </summary>
    public static string Meta(byte[] body, string appSecret)
    {
        using var hmac = new HMACSHA256(Encoding.UTF8.GetBytes(appSecret));
        return "sha256=" + string.Concat(hmac.ComputeHash(body).Select(b => b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture)));
    }
}
