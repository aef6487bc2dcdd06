using System.Text;

namespace Campaigns.ProviderSimulator.Sending;

/// <summary>An <c>application/x-www-form-urlencoded</c> body, fields in the order given.</summary>
public static class FormBody
{
    public const string ContentType = "application/x-www-form-urlencoded";

    public static byte[] Encode(IEnumerable<KeyValuePair<string, string>> fields) =>
        Encoding.UTF8.GetBytes(string.Join('&', fields.Select(field => $"{Uri.EscapeDataString(field.Key)}={Uri.EscapeDataString(field.Value)}")));
}
