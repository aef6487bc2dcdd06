using System.Text;
using Campaigns.Api.Webhooks;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace Campaigns.Tests.Webhooks;

/// <summary>The proofs of origin against vectors computed elsewhere (Twilio's published example, openssl), so a self-consistent mistake cannot pass.</summary>
public sealed class WebhookProofTests
{
    private const string TwilioUrl = "https://mycompany.com/myapp.php?foo=1&bar=2";

    private static FormCollection Form(params (string Name, string[] Values)[] fields) =>
        new(fields.ToDictionary(f => f.Name, f => new StringValues(f.Values)));

    private static readonly FormCollection TwilioExample = Form(
        ("CallSid", ["CA1234567890ABCDE"]), ("Caller", ["+14158675309"]), ("Digits", ["1234"]), ("From", ["+14158675309"]), ("To", ["+18005551212"]));

    [Fact]
    public void Twilio_signature_matches_twilios_published_example()
    {
        Assert.True(TwilioSignature.IsValid("RSOYDt4T1cUTdK1PDd93/VVr8B8=", "12345", TwilioUrl, TwilioExample));
        Assert.False(TwilioSignature.IsValid("RSOYDt4T1cUTdK1PDd93/VVr8B8=", "12345", TwilioUrl + "&x=1", TwilioExample));
        Assert.False(TwilioSignature.IsValid("RSOYDt4T1cUTdK1PDd93/VVr8B8=", "12346", TwilioUrl, TwilioExample));
        Assert.False(TwilioSignature.IsValid("", "12345", TwilioUrl, TwilioExample));
        Assert.False(TwilioSignature.IsValid("invalid 王", "12345", TwilioUrl, TwilioExample));
    }

    [Fact]
    public void Twilio_signature_takes_a_repeated_parameters_values_sorted_and_once()
    {
        var repeated = Form(("Sid", ["CA123"]), ("SidAccount", ["AC123"]), ("Digits", ["5678", "1234", "1234"]));

        Assert.True(TwilioSignature.IsValid("IK+Dwps556ElfBT0I3Rgjkr1wJU=", "12345", TwilioUrl, repeated));
    }

    [Fact]
    public void Meta_signature_is_the_hex_hmac_sha256_of_the_raw_body()
    {
        var body = Encoding.UTF8.GetBytes("""{"object":"whatsapp_business_account"}""");
        // printf '%s' '{"object":"whatsapp_business_account"}' | openssl dgst -sha256 -hmac 'meta-app-secret'
        const string header = "sha256=81176fcf9ac718ce2812972d013a8e62f99e6d50aee56fd0e9d9d954c7c0c1b0";

        Assert.True(MetaSignature.IsValid(header, "meta-app-secret", body));
        Assert.Equal(header, MetaSignature.Compute("meta-app-secret", body));
        Assert.False(MetaSignature.IsValid(header, "meta-app-secret", [.. body, (byte)' ']));
        Assert.False(MetaSignature.IsValid(header[..^1], "meta-app-secret", body));
        Assert.False(MetaSignature.IsValid(header.Replace("sha256=", "sha1="), "meta-app-secret", body));
        Assert.False(MetaSignature.IsValid(null, "meta-app-secret", body));
    }

    [Fact]
    public void Secrets_match_exactly()
    {
        Assert.True(SecretComparison.Matches("token-1", "token-1"));
        Assert.False(SecretComparison.Matches("token-", "token-1"));
        Assert.False(SecretComparison.Matches("TOKEN-1", "token-1"));
        Assert.False(SecretComparison.Matches(null, "token-1"));
    }
}
