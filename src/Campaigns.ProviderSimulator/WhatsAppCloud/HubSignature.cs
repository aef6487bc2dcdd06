using System.Security.Cryptography;
using System.Text;

namespace Campaigns.ProviderSimulator.WhatsAppCloud;

/// <summary>Meta's <c>X-Hub-Signature-256</c>: <c>sha256=</c> and the lowercase hex HMAC-SHA256 of the raw body, keyed with the app secret.</summary>
public static class HubSignature
{
    public const string Header = "X-Hub-Signature-256";

    public static string Sign(byte[] body, string appSecret) =>
        "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(appSecret), body));
}
