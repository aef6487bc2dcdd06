using System.Text.Json;
using System.Text.Json.Nodes;
using Campaigns.Api.Contracts;
using Campaigns.Api.Idempotency;
using Campaigns.Api.Json;

namespace Campaigns.Tests.Unit;

/// <summary>The idempotency fingerprint: what makes two requests the same request.</summary>
public sealed class RequestFingerprintTests
{
    private static readonly JsonSerializerOptions Json = ApiJson();

    private static byte[] OfJson(string body) => RequestFingerprint.Compute("POST", "/campaigns/1/send", JsonNode.Parse(body));

    [Theory]
    [InlineData("1e30")]
    [InlineData("-1e30")]
    [InlineData("1e400")]
    [InlineData("123456789012345678901234567890.5")]
    public void A_number_beyond_long_and_decimal_still_has_a_fingerprint(string number)
    {
        var fingerprint = OfJson($$"""{"customer_ids":[1],"x":{{number}}}""");

        Assert.NotEqual(OfJson("""{"customer_ids":[1],"x":0}"""), fingerprint);
    }

    [Theory]
    [InlineData("1.0")]
    [InlineData("1e0")]
    [InlineData("1.00")]
    public void One_number_written_another_way_is_the_same_request(string number) =>
        Assert.Equal(OfJson("""{"x":1}"""), OfJson($$"""{"x":{{number}}}"""));

    [Fact]
    public void The_bound_request_hashes_like_the_json_it_was_bound_from()
    {
        // So keys stored before fingerprints were taken of the bound body still match their retries.
        Assert.Equal(OfJson("""{ "customer_ids" : [3, 1, 2] }"""),
            RequestFingerprint.Compute("POST", "/campaigns/1/send", new SendCampaignRequest([3, 1, 2], null), Json));
        Assert.Equal(OfJson("""{"audience":{"location":"Nairobi"}}"""),
            RequestFingerprint.Compute("POST", "/campaigns/1/send", new SendCampaignRequest(null, new AudienceFilter("Nairobi", null)), Json));
    }

    [Fact]
    public void Another_body_method_or_path_is_another_request()
    {
        var request = new SendCampaignRequest([1], null);
        var fingerprint = RequestFingerprint.Compute("POST", "/campaigns/1/send", request, Json);

        Assert.NotEqual(fingerprint, RequestFingerprint.Compute("POST", "/campaigns/1/send", new SendCampaignRequest([2], null), Json));
        Assert.NotEqual(fingerprint, RequestFingerprint.Compute("POST", "/campaigns/2/send", request, Json));
        Assert.NotEqual(fingerprint, RequestFingerprint.Compute("PUT", "/campaigns/1/send", request, Json));
    }

    private static JsonSerializerOptions ApiJson()
    {
        var options = new JsonSerializerOptions();
        JsonSetup.Configure(options);
        return options;
    }
}
