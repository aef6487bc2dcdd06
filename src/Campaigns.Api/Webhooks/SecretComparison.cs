using System.Security.Cryptography;
using System.Text;

namespace Campaigns.Api.Webhooks;

/// <summary>Compares a presented secret with the configured one without telling, by timing, how close it came.</summary>
public static class SecretComparison
{
    /// <summary>
    /// Compares SHA-256 digests in constant time: equal lengths whatever was presented, so neither an
    /// early exit nor the length of the secret shows.
    /// </summary>
    public static bool Matches(string? presented, string expected) =>
        presented is not null
        && CryptographicOperations.FixedTimeEquals(
            SHA256.HashData(Encoding.UTF8.GetBytes(presented)), SHA256.HashData(Encoding.UTF8.GetBytes(expected)));
}
