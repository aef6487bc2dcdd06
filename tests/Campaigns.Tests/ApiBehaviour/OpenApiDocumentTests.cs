using System.Net;
using System.Text.Json.Nodes;
using Campaigns.Core.Domain;
using Campaigns.Tests.Infrastructure;

namespace Campaigns.Tests.ApiBehaviour;

/// <summary>The document says what api.md says: what is required, what may be null, which values, which answers.</summary>
public sealed class OpenApiDocumentTests(AppFixture fixture)
{
    private readonly HttpClient _api = fixture.CreateApiClient();
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<JsonNode> DocumentAsync() => (await _api.GetJsonAsync("/openapi/v1.json", Ct)).Expect(HttpStatusCode.OK).Json;

    private static JsonNode Schema(JsonNode document, string name) => document["components"]!["schemas"]![name]!;

    private static string[] Strings(JsonNode? array) => array?.AsArray().Select(n => n!.GetValue<string>()).Order().ToArray() ?? [];

    private static IEnumerable<(string Path, string Method, JsonNode Operation)> Operations(JsonNode document) =>
        document["paths"]!.AsObject().SelectMany(path => path.Value!.AsObject()
            .Where(operation => operation.Key is "get" or "post" or "patch" or "put" or "delete")
            .Select(operation => (path.Key, operation.Key, operation.Value!)));

    [Theory]
    [InlineData("CreateCustomerRequest", new[] { "phone" })]
    [InlineData("CreateCampaignRequest", new[] { "base_template", "channel", "name" })]
    [InlineData("PreviewRequest", new[] { "customer_id" })]
    [InlineData("UpdateCustomerRequest", new string[0])]
    [InlineData("UpdateCampaignRequest", new string[0])]
    public async Task Only_the_fields_the_contract_requires_are_required(string schema, string[] required)
    {
        var document = await DocumentAsync();

        Assert.Equal(required, Strings(Schema(document, schema)["required"]));
    }

    [Theory]
    [InlineData("CreateCustomerRequest", "phone", false)]
    [InlineData("CreateCustomerRequest", "last_name", true)]
    [InlineData("CreateCustomerRequest", "opted_out", true)]
    [InlineData("UpdateCustomerRequest", "phone", false)]
    [InlineData("UpdateCustomerRequest", "location", true)]
    [InlineData("CreateCampaignRequest", "name", false)]
    [InlineData("CreateCampaignRequest", "scheduled_at", true)]
    [InlineData("UpdateCampaignRequest", "name", false)]
    [InlineData("UpdateCampaignRequest", "scheduled_at", true)]
    [InlineData("PreviewRequest", "override_template", true)]
    [InlineData("CampaignResponse", "scheduled_at", true)]
    [InlineData("CampaignResponse", "name", false)]
    [InlineData("MessageResponse", "last_error", true)]
    public async Task Null_is_allowed_exactly_where_the_API_takes_or_gives_it(string schema, string member, bool nullable)
    {
        var document = await DocumentAsync();

        var type = Schema(document, schema)["properties"]![member]!["type"];
        var types = type is JsonArray ? Strings(type) : [type!.GetValue<string>()];
        Assert.Equal(nullable, types.Contains("null"));
    }

    [Fact]
    public async Task A_send_names_its_audience_one_way()
    {
        var document = await DocumentAsync();

        var send = Schema(document, "SendCampaignRequest");
        var branches = send["oneOf"]!.AsArray().Select(b => b!["$ref"]!.GetValue<string>().Split('/')[^1]).ToArray();
        Assert.Equal(["SendToCustomers", "SendToAudience"], branches);
        Assert.Equal(["customer_ids"], Strings(Schema(document, "SendToCustomers")["required"]));
        Assert.Equal(["audience"], Strings(Schema(document, "SendToAudience")["required"]));
        var ids = Schema(document, "SendToCustomers")["properties"]!["customer_ids"]!;
        Assert.Equal("array", ids["type"]!.GetValue<string>());
        Assert.Equal(1, ids["minItems"]!.GetValue<int>());
        Assert.Equal(100_000, ids["maxItems"]!.GetValue<int>());
        Assert.Equal(1, ids["items"]!["minimum"]!.GetValue<long>());
    }

    [Fact]
    public async Task Every_path_id_is_a_positive_64_bit_integer()
    {
        var document = await DocumentAsync();

        var pathParameters = Operations(document)
            .SelectMany(o => o.Operation["parameters"]?.AsArray() ?? [])
            .Where(p => p!["in"]!.GetValue<string>() == "path")
            .ToList();
        // The path members that are no ids: a suppression is named by its phone, a short link by its code.
        var phones = pathParameters.Where(p => p!["name"]!.GetValue<string>() is "phone" or "code").ToList();
        Assert.All(phones, phone => Assert.Equal("string", phone!["schema"]!["type"]!.GetValue<string>()));
        var pathIds = pathParameters.Except(phones).ToList();
        Assert.NotEmpty(pathIds);
        Assert.All(pathIds, id =>
        {
            Assert.Equal("integer", id!["schema"]!["type"]!.GetValue<string>());
            Assert.Equal("int64", id["schema"]!["format"]!.GetValue<string>());
            Assert.Equal(1, id["schema"]!["minimum"]!.GetValue<long>());
        });
    }

    [Fact]
    public async Task Every_operation_declares_the_errors_any_request_can_meet_as_problems()
    {
        var document = await DocumentAsync();

        Assert.All(Operations(document), o =>
        {
            var responses = o.Operation["responses"]!.AsObject();
            var isPublic = o.Operation["security"] is JsonArray { Count: 0 };
            var takesBody = o.Operation["requestBody"]?["required"]?.GetValue<bool>() == true;
            string[] expected = isPublic ? ["414", "429", "431", "500"]
                : takesBody ? ["400", "401", "413", "414", "415", "429", "431", "500", "503"]
                : ["400", "401", "414", "429", "431", "500", "503"];
            Assert.All(expected, status => Assert.True(responses.ContainsKey(status), $"{o.Method} {o.Path} does not declare {status}"));
            // /health's 503 is its report, like its 200.
            foreach (var (status, response) in responses.Where(r => int.Parse(r.Key) >= 400 && !(isPublic && r.Key == "503")))
            {
                var content = response!["content"]!.AsObject();
                Assert.Equal(["application/problem+json"], content.Select(c => c.Key));
                Assert.Equal("#/components/schemas/Problem", content["application/problem+json"]!["schema"]!["$ref"]!.GetValue<string>());
            }
            var retryAfter = responses["429"]!["headers"]!["Retry-After"]!;
            Assert.True(retryAfter["required"]!.GetValue<bool>());
            Assert.Equal("integer", retryAfter["schema"]!["type"]!.GetValue<string>());
        });
    }

    [Fact]
    public async Task Health_and_alive_are_public_and_answer_their_report()
    {
        var document = await DocumentAsync();

        foreach (var path in new[] { "/health", "/alive" })
        {
            var get = document["paths"]![path]!["get"]!;
            Assert.Empty(get["security"]!.AsArray());
            Assert.Equal("#/components/schemas/HealthReport", get["responses"]!["200"]!["content"]!["application/json"]!["schema"]!["$ref"]!.GetValue<string>());
            Assert.NotNull(document["paths"]![path]!["head"]);
        }
        Assert.Equal("#/components/schemas/HealthReport",
            document["paths"]!["/health"]!["get"]!["responses"]!["503"]!["content"]!["application/json"]!["schema"]!["$ref"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_problem_schema_carries_the_envelope_every_error_has()
    {
        var document = await DocumentAsync();

        var problem = Schema(document, "Problem");
        Assert.Equal(["detail", "error", "status", "title", "trace_id", "type"], Strings(problem["required"]));
        var error = problem["properties"]!["error"]!;
        Assert.Equal(["code", "message"], Strings(error["required"]));
        Assert.Contains("CAMPAIGN_NOT_FOUND", EnumOf(document, error["properties"]!["code"]!));
        Assert.Contains("RATE_LIMITED", EnumOf(document, error["properties"]!["code"]!));
        Assert.Equal("array", problem["properties"]!["errors"]!["additionalProperties"]!["type"]!.GetValue<string>());
        Assert.Equal("integer", problem["properties"]!["missing_ids"]!["items"]!["type"]!.GetValue<string>());
    }

    [Fact]
    public async Task Statuses_and_channels_are_shared_enums_of_the_values_the_API_uses()
    {
        var document = await DocumentAsync();

        Assert.Equal(CampaignStatus.All.Order(), EnumOf(document, Schema(document, "CampaignResponse")["properties"]!["status"]!));
        Assert.Equal(CampaignStatus.All.Order(), EnumOf(document, Schema(document, "SendCampaignResponse")["properties"]!["status"]!));
        Assert.Equal(Channel.All.Order(), EnumOf(document, Schema(document, "CampaignResponse")["properties"]!["channel"]!));
        Assert.Equal(Channel.All.Order(), EnumOf(document, Schema(document, "CreateCampaignRequest")["properties"]!["channel"]!));
        Assert.Equal(MessageStatus.All.Order(), EnumOf(document, Schema(document, "MessageResponse")["properties"]!["status"]!));
        var statusFilter = document["paths"]!["/campaigns/{id}/messages"]!["get"]!["parameters"]!.AsArray()
            .Single(p => p!["name"]!.GetValue<string>() == "status")!;
        Assert.Equal(MessageStatus.All.Order(), EnumOf(document, statusFilter["schema"]!));
        // One named type per set, for generated clients.
        Assert.Equal("#/components/schemas/CampaignStatus", Schema(document, "CampaignResponse")["properties"]!["status"]!["$ref"]!.GetValue<string>());
    }

    private static string[] EnumOf(JsonNode document, JsonNode schema) =>
        schema["$ref"] is { } reference
            ? Strings(Schema(document, reference.GetValue<string>().Split('/')[^1])["enum"])
            : Strings(schema["enum"]);

    [Fact]
    public async Task Every_operation_needs_the_API_key_and_a_send_takes_an_idempotency_key()
    {
        var document = await DocumentAsync();

        var apiKey = document["components"]!["securitySchemes"]!["ApiKey"]!;
        Assert.Equal("apiKey", apiKey["type"]!.GetValue<string>());
        Assert.Equal("header", apiKey["in"]!.GetValue<string>());
        Assert.Equal("X-Api-Key", apiKey["name"]!.GetValue<string>());
        Assert.Contains(document["security"]!.AsArray(), requirement => requirement!.AsObject().ContainsKey("ApiKey"));
        var idempotencyKey = document["paths"]!["/campaigns/{id}/send"]!["post"]!["parameters"]!.AsArray()
            .Single(p => p!["name"]!.GetValue<string>() == "Idempotency-Key")!;
        Assert.Equal("header", idempotencyKey["in"]!.GetValue<string>());
        Assert.Equal(200, idempotencyKey["schema"]!["maxLength"]!.GetValue<int>());
    }

    [Fact]
    public async Task What_is_created_is_answered_with_its_location()
    {
        var document = await DocumentAsync();

        var created = Operations(document).Where(o => o.Operation["responses"]!["201"] is not null).ToList();
        Assert.Equal(["CreateCampaign", "CreateCustomer", "ReceiveInbound", "Suppress"],
            created.Select(o => o.Operation["operationId"]!.GetValue<string>()).Order());
        Assert.All(created, o => Assert.True(o.Operation["responses"]!["201"]!["headers"]!["Location"]!["required"]!.GetValue<bool>()));
    }
}
