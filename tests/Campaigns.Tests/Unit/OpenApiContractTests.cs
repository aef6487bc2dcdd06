using System.Net;
using System.Text;
using Campaigns.Tests.Infrastructure.OpenApi;

namespace Campaigns.Tests.Unit;

/// <summary>The contract validator on a small document of its own: each check fires, and a true exchange passes.</summary>
public sealed class OpenApiContractTests
{
    private const string Widget = """{"id":7,"name":"bolt","status":"active","note":null}""";
    private const string Problem = """{"type":"/problems/not-found","title":"Not Found","status":404,"error":{"code":"NOT_FOUND","message":"No such widget"}}""";

    private const string Document = """
        {
          "openapi": "3.1.1",
          "info": { "title": "Widgets", "version": "1" },
          "paths": {
            "/widgets": {
              "get": {
                "parameters": [
                  { "name": "status", "in": "query", "schema": { "type": "string", "enum": ["active", "retired"] } },
                  { "name": "page", "in": "query", "schema": { "type": "integer", "minimum": 1 } }
                ],
                "responses": {
                  "200": { "description": "OK", "content": { "application/json": { "schema": { "type": "array", "items": { "$ref": "#/components/schemas/Widget" } } } } },
                  "4XX": { "$ref": "#/components/responses/Problem" }
                }
              },
              "post": {
                "requestBody": { "required": true, "content": { "application/json": { "schema": { "$ref": "#/components/schemas/NewWidget" } } } },
                "responses": {
                  "201": {
                    "description": "Created",
                    "headers": { "Location": { "required": true, "schema": { "type": "string" } } },
                    "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Widget" } } }
                  },
                  "429": {
                    "description": "Too Many Requests",
                    "headers": { "Retry-After": { "required": true, "schema": { "type": "integer", "minimum": 0 } } },
                    "content": { "application/problem+json": { "schema": { "$ref": "#/components/schemas/Problem" } } }
                  },
                  "default": { "$ref": "#/components/responses/Problem" }
                }
              }
            },
            "/widgets/export": {
              "get": { "responses": { "200": { "description": "OK", "content": { "text/csv": { "schema": { "type": "string" } } } } } }
            },
            "/widgets/{id}": {
              "parameters": [ { "name": "id", "in": "path", "required": true, "schema": { "type": "integer", "minimum": 1 } } ],
              "get": {
                "responses": {
                  "200": { "description": "OK", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Widget" } } } },
                  "404": { "$ref": "#/components/responses/Problem" }
                }
              },
              "delete": { "responses": { "204": { "description": "No Content" } } }
            }
          },
          "components": {
            "responses": {
              "Problem": { "description": "A problem", "content": { "application/problem+json": { "schema": { "$ref": "#/components/schemas/Problem" } } } }
            },
            "schemas": {
              "Widget": {
                "type": "object",
                "required": ["id", "name", "status", "note"],
                "properties": {
                  "id": { "type": "integer", "format": "int64" },
                  "name": { "type": "string" },
                  "status": { "type": "string", "enum": ["active", "retired"] },
                  "note": { "type": ["string", "null"] }
                }
              },
              "NewWidget": {
                "type": "object",
                "required": ["name"],
                "properties": { "name": { "type": "string", "minLength": 1 } }
              },
              "Problem": {
                "type": "object",
                "required": ["type", "title", "status", "error"],
                "properties": {
                  "type": { "type": "string" },
                  "title": { "type": "string" },
                  "status": { "type": "integer" },
                  "error": { "$ref": "#/components/schemas/Error" }
                }
              },
              "Error": {
                "type": "object",
                "required": ["code", "message"],
                "properties": { "code": { "type": "string" }, "message": { "type": "string" } }
              }
            }
          }
        }
        """;

    private static readonly OpenApiContract Contract = OpenApiContract.Parse(Document);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_true_exchange_conforms()
    {
        var verdict = await CheckAsync(HttpMethod.Get, "/widgets/7", HttpStatusCode.OK, Widget);

        Assert.True(verdict.Conforms, verdict.ToString());
        Assert.Equal("GET /widgets/{id}", verdict.Operation);
    }

    [Fact]
    public async Task An_undeclared_status_is_a_mismatch()
    {
        var verdict = await CheckAsync(HttpMethod.Get, "/widgets/7", HttpStatusCode.Conflict, Problem, "application/problem+json");

        Assert.Contains("status 409 is not declared (declared: 200, 404)", Single(verdict));
    }

    [Theory]
    [InlineData("GET", "/widgets", HttpStatusCode.Unauthorized)]
    [InlineData("POST", "/widgets", HttpStatusCode.InternalServerError)]
    public async Task A_status_range_or_default_declares_the_status(string method, string path, HttpStatusCode status)
    {
        var verdict = await CheckAsync(new HttpMethod(method), path, status, Problem, "application/problem+json");

        Assert.True(verdict.Conforms, verdict.ToString());
    }

    [Theory]
    [InlineData("""{"id":"7","name":"bolt","status":"active","note":null}""", "$.id = \"7\": ", "[type]")]
    [InlineData("""{"id":7,"name":"bolt","note":null}""", "$: ", "[required]")]
    [InlineData("""{"id":7,"name":"bolt","status":"gone","note":null}""", "$.status = \"gone\": ", "[\"active\", \"retired\"] [enum]")]
    [InlineData("""{"id":7,"name":null,"status":"active","note":null}""", "$.name = null: ", "[type]")]
    [InlineData("""{"id":7,"name":"bolt","status":"active",""", "not valid JSON", "")]
    public async Task A_body_against_its_schema_is_a_mismatch(string body, string where, string what)
    {
        var verdict = await CheckAsync(HttpMethod.Get, "/widgets/7", HttpStatusCode.OK, body);

        var mismatch = Single(verdict);
        Assert.StartsWith("response body: " + where, mismatch);
        Assert.EndsWith(what, mismatch);
    }

    [Fact]
    public async Task A_nullable_member_may_be_null_and_a_string()
    {
        var verdict = await CheckAsync(HttpMethod.Get, "/widgets/7", HttpStatusCode.OK, Widget.Replace("null", "\"spare\""));

        Assert.True(verdict.Conforms, verdict.ToString());
    }

    [Fact]
    public async Task References_into_components_are_followed_to_the_end()
    {
        // 404 is a $ref to a shared response whose schema is a $ref whose member is a $ref.
        var verdict = await CheckAsync(HttpMethod.Get, "/widgets/7", HttpStatusCode.NotFound,
            Problem.Replace("\"code\":\"NOT_FOUND\",", ""), "application/problem+json");

        Assert.StartsWith("response body: $.error: ", Single(verdict));
        Assert.EndsWith("[required]", Single(verdict));
    }

    [Fact]
    public async Task An_undeclared_media_type_is_a_mismatch()
    {
        var verdict = await CheckAsync(HttpMethod.Get, "/widgets/7", HttpStatusCode.OK, "bolt", "text/plain");

        Assert.Equal("response media type text/plain is not declared for 200 (declared: application/json)", Single(verdict));
    }

    [Fact]
    public async Task A_body_where_none_is_declared_is_a_mismatch()
    {
        var verdict = await CheckAsync(HttpMethod.Delete, "/widgets/7", HttpStatusCode.NoContent, Widget);

        Assert.Equal("response has a body (application/json) but 204 declares no content", Single(verdict));
    }

    [Fact]
    public async Task A_missing_required_response_header_is_a_mismatch()
    {
        var verdict = await CheckAsync(HttpMethod.Post, "/widgets", HttpStatusCode.Created, Widget, requestBody: """{"name":"bolt"}""");
        var withLocation = await CheckAsync(HttpMethod.Post, "/widgets", HttpStatusCode.Created, Widget, requestBody: """{"name":"bolt"}""",
            headers: ("Location", "/widgets/7"));

        Assert.Equal("response header Location is required but missing", Single(verdict));
        Assert.True(withLocation.Conforms, withLocation.ToString());
    }

    [Theory]
    [InlineData(null, "response header Retry-After is required but missing")]
    [InlineData("soon", "response header Retry-After: $ = \"soon\": ")]
    public async Task A_response_header_is_checked_against_its_schema(string? retryAfter, string expected)
    {
        var verdict = await CheckAsync(HttpMethod.Post, "/widgets", HttpStatusCode.TooManyRequests, Problem.Replace("404", "429"),
            "application/problem+json", requestBody: """{"name":"bolt"}""", headers: retryAfter is null ? [] : [("Retry-After", retryAfter)]);
        var declared = await CheckAsync(HttpMethod.Post, "/widgets", HttpStatusCode.TooManyRequests, Problem.Replace("404", "429"),
            "application/problem+json", requestBody: """{"name":"bolt"}""", headers: ("Retry-After", "3"));

        Assert.StartsWith(expected, Single(verdict));
        Assert.True(declared.Conforms, declared.ToString());
    }

    [Fact]
    public async Task An_accepted_request_body_against_its_schema_is_a_mismatch()
    {
        var verdict = await CheckAsync(HttpMethod.Post, "/widgets", HttpStatusCode.Created, Widget, requestBody: """{"name":""}""",
            headers: ("Location", "/widgets/7"));

        Assert.StartsWith("request body: $.name = \"\": ", Single(verdict));
        Assert.EndsWith("[minLength]", Single(verdict));
    }

    [Fact]
    public async Task A_refused_request_is_not_held_to_the_request_schema()
    {
        var verdict = await CheckAsync(HttpMethod.Post, "/widgets", HttpStatusCode.BadRequest, Problem.Replace("404", "400"),
            "application/problem+json", requestBody: """{"name":""}""");

        Assert.True(verdict.Conforms, verdict.ToString());
    }

    [Fact]
    public async Task An_accepted_request_without_its_required_body_is_a_mismatch()
    {
        var verdict = await CheckAsync(HttpMethod.Post, "/widgets", HttpStatusCode.Created, Widget, headers: ("Location", "/widgets/7"));

        Assert.Equal("request body is required but none was sent", Single(verdict));
    }

    [Fact]
    public async Task An_accepted_request_body_of_an_undeclared_media_type_is_a_mismatch()
    {
        var verdict = await CheckAsync(HttpMethod.Post, "/widgets", HttpStatusCode.Created, Widget, requestBody: "name=bolt",
            requestMediaType: "application/x-www-form-urlencoded", headers: ("Location", "/widgets/7"));

        Assert.Equal("request media type application/x-www-form-urlencoded is not declared (declared: application/json)", Single(verdict));
    }

    [Theory]
    [InlineData("/widgets/abc", "path parameter id: $ = \"abc\": ", "[type]")]
    [InlineData("/widgets/0", "path parameter id: $ = 0: ", "[minimum]")]
    public async Task An_accepted_path_value_against_its_schema_is_a_mismatch(string path, string start, string end)
    {
        var verdict = await CheckAsync(HttpMethod.Get, path, HttpStatusCode.OK, Widget);

        Assert.StartsWith(start, Single(verdict));
        Assert.EndsWith(end, Single(verdict));
    }

    [Theory]
    [InlineData("/widgets?status=gone", "query parameter status: $ = \"gone\": ", "[enum]")]
    [InlineData("/widgets?page=0", "query parameter page: $ = 0: ", "[minimum]")]
    [InlineData("/widgets?page=two", "query parameter page: $ = \"two\": ", "[type]")]
    public async Task An_accepted_query_value_against_its_schema_is_a_mismatch(string path, string start, string end)
    {
        var verdict = await CheckAsync(HttpMethod.Get, path, HttpStatusCode.OK, $"[{Widget}]");

        Assert.StartsWith(start, Single(verdict));
        Assert.EndsWith(end, Single(verdict));
    }

    [Fact]
    public async Task Declared_query_values_and_unknown_parameters_conform()
    {
        var verdict = await CheckAsync(HttpMethod.Get, "/widgets?status=retired&page=2&unknown=x", HttpStatusCode.OK, $"[{Widget}]");

        Assert.True(verdict.Conforms, verdict.ToString());
    }

    [Fact]
    public async Task A_literal_path_wins_over_a_template()
    {
        var verdict = await CheckAsync(HttpMethod.Get, "/widgets/export", HttpStatusCode.OK, "id,name\n7,bolt\n", "text/csv");

        Assert.True(verdict.Conforms, verdict.ToString());
        Assert.Equal("GET /widgets/export", verdict.Operation);
    }

    [Theory]
    [InlineData("GET", "/health")]
    [InlineData("GET", "/widgets/7/parts")]
    [InlineData("PUT", "/widgets/7")]
    public async Task A_request_the_document_does_not_describe_is_skipped(string method, string path)
    {
        var verdict = await CheckAsync(new HttpMethod(method), path, HttpStatusCode.NotFound, "nothing", "text/plain");

        Assert.True(verdict.IsSkipped);
        Assert.Empty(verdict.Mismatches);
    }

    [Fact]
    public void A_reference_to_nowhere_fails_when_the_document_is_read()
    {
        var error = Assert.Throws<InvalidOperationException>(() => OpenApiContract.Parse(Document.Replace("#/components/schemas/NewWidget", "#/components/schemas/Nowhere")));

        Assert.Contains("/paths/~1widgets/post/requestBody", error.Message);
    }

    [Fact]
    public async Task The_handler_records_throws_on_a_mismatch_and_leaves_a_good_body_readable()
    {
        var report = new ConformanceReport();
        using var client = new HttpClient(new OpenApiConformanceHandler(() => Contract, report)
        {
            InnerHandler = new Answering(request => request.RequestUri!.AbsolutePath == "/widgets/1"
                ? Response(HttpStatusCode.OK, Widget, "application/json")
                : Response(HttpStatusCode.OK, "{}", "application/json")),
        })
        { BaseAddress = new Uri("http://api") };

        var body = await client.GetStringAsync("/widgets/1", Ct);
        var error = await Assert.ThrowsAsync<OpenApiMismatchException>(() => client.GetStringAsync("/widgets/2", Ct));

        Assert.Equal(Widget, body);
        Assert.Contains("GET /widgets/2 → 200 (GET /widgets/{id})", error.Message);
        Assert.Equal(2, report.Validated("GET /widgets/{id}"));
        Assert.Equal(1, report.MismatchCount);
    }

    private static string Single(ContractVerdict verdict) => Assert.Single(verdict.Mismatches);

    private static async Task<ContractVerdict> CheckAsync(HttpMethod method, string path, HttpStatusCode status, string body,
        string mediaType = "application/json", string? requestBody = null, string requestMediaType = "application/json",
        params (string Name, string Value)[] headers)
    {
        using var request = new HttpRequestMessage(method, new Uri(new Uri("http://api"), path));
        if (requestBody is not null)
        {
            request.Content = new StringContent(requestBody, Encoding.UTF8, requestMediaType);
        }
        using var response = Response(status, body, mediaType);
        foreach (var (name, value) in headers)
        {
            response.Headers.TryAddWithoutValidation(name, value);
        }
        return await Contract.CheckAsync(request, response, Ct);
    }

    private static HttpResponseMessage Response(HttpStatusCode status, string body, string mediaType) =>
        new(status) { Content = new StringContent(body, Encoding.UTF8, mediaType) };

    private sealed class Answering(Func<HttpRequestMessage, HttpResponseMessage> answer) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(answer(request));
    }
}
