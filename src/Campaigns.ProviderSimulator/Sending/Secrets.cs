using System.Security.Cryptography;
using System.Text;

namespace Campaigns.ProviderSimulator.Sending;

/// <summary>Credential checks as a provider makes them: in constant time, and never against an empty secret.</summary>
public static class Secrets
{
    public static bool Matches(string? given, string expected) =>
        expected.Length > 0
        && given is not null
        && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(given), Encoding.UTF8.GetBytes(expected));
}
