using System.Security.Cryptography;
using System.Text;

namespace Campaigns.ProviderSimulator.Sending;

/// <summary>Message ids in each provider's own shape.</summary>
public static class ProviderIds
{
    /// <summary>A Twilio Message sid: <c>SM</c> and 32 hex digits.</summary>
    public static string TwilioSid() => "SM" + Hex(16);

    /// <summary>An Africa's Talking message id: <c>ATXid_</c> and 32 hex digits.</summary>
    public static string AfricasTalkingId() => "ATXid_" + Hex(16);

    /// <summary>A WhatsApp message id: <c>wamid.</c> and base64 of the recipient and random bytes, as Meta's look.</summary>
    public static string Wamid(string waId) =>
        "wamid." + Convert.ToBase64String([0x1c, 0x18, (byte)waId.Length, .. Encoding.ASCII.GetBytes(waId), 0x15, 0x02, .. RandomNumberGenerator.GetBytes(18)]);

    /// <summary>A Graph API error's <c>fbtrace_id</c>.</summary>
    public static string FacebookTraceId() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(8)).TrimEnd('=');

    private static string Hex(int bytes) => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(bytes));
}
