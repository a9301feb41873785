//! What a face's OpenAPI document says that its handlers' annotations do not:
//! the bearer token every route wants, the shell's refusals (413, 408) that
//! can answer any request with a body, and error bodies a standard returns
//! with HTTP 200.

use utoipa::openapi::path::Operation;
use utoipa::openapi::schema::AnyOf;
use utoipa::openapi::security::{Http, HttpAuthScheme, SecurityRequirement, SecurityScheme};
use utoipa::openapi::{Content, OpenApi, Ref, RefOr, Response, Schema};

/// The security scheme's name in a document.
pub const BEARER: &str = "bearer";

/// Every operation wants `Authorization: Bearer …`.
pub fn bearer_everywhere(doc: &mut OpenApi) {
    let components = doc.components.get_or_insert_with(Default::default);
    components.security_schemes.insert(
        BEARER.into(),
        SecurityScheme::Http(Http::new(HttpAuthScheme::Bearer)),
    );
    doc.security = Some(vec![SecurityRequirement::new(BEARER, Vec::<String>::new())]);
}

/// A component schema's reference, `#/components/schemas/{name}`.
pub fn schema_ref(name: &str) -> RefOr<Schema> {
    RefOr::Ref(Ref::from_schema_name(name))
}

/// Each operation's JSON 200 is its success body or one of `errors`
/// (for standards that answer errors with HTTP 200).
pub fn ok_or_errors(doc: &mut OpenApi, errors: &[&str]) {
    for op in operations(doc) {
        let Some(RefOr::T(ok)) = op.responses.responses.get_mut("200") else {
            continue;
        };
        let Some(schema) = json_content(ok).and_then(|c| c.schema.as_mut()) else {
            continue;
        };
        let mut any = AnyOf::new();
        any.items.push(std::mem::replace(schema, schema_ref("")));
        any.items.extend(errors.iter().map(|e| schema_ref(e)));
        *schema = RefOr::T(Schema::AnyOf(any));
    }
}

/// The shell's refusals of a request body (too large, too slow), in the
/// face's `envelope` schema, on every operation that takes a body.
pub fn body_refusals(doc: &mut OpenApi, envelope: &str, limit: &str) {
    let refusal = |why: String| {
        let content = Content::new(Some(schema_ref(envelope)));
        let mut r = Response::new(why);
        r.content.insert("application/json".into(), content);
        RefOr::T(r)
    };
    let paths = &mut doc.paths.paths;
    for op in paths.values_mut().filter_map(|item| item.post.as_mut()) {
        let responses = &mut op.responses.responses;
        responses.insert(
            "413".into(),
            refusal(format!("The request body is over {limit}.")),
        );
        responses.insert(
            "408".into(),
            refusal("The request body did not arrive in time.".into()),
        );
    }
}

fn operations(doc: &mut OpenApi) -> impl Iterator<Item = &mut Operation> {
    doc.paths.paths.values_mut().flat_map(|item| {
        [
            item.get.as_mut(),
            item.put.as_mut(),
            item.post.as_mut(),
            item.delete.as_mut(),
            item.options.as_mut(),
            item.head.as_mut(),
            item.patch.as_mut(),
            item.trace.as_mut(),
        ]
        .into_iter()
        .flatten()
    })
}

fn json_content(r: &mut Response) -> Option<&mut Content> {
    r.content.get_mut("application/json")
}

/// Every operation may also answer each of `statuses` (status, description)
/// with a body of the `envelope` schema (for standards whose errors carry
/// their own HTTP status), unless the operation documents that status itself.
pub fn error_responses(doc: &mut OpenApi, statuses: &[(&str, &str)], envelope: &str) {
    for op in operations(doc) {
        for (status, why) in statuses {
            op.responses
                .responses
                .entry((*status).to_owned())
                .or_insert_with(|| {
                    let mut r = Response::new(*why);
                    let content = Content::new(Some(schema_ref(envelope)));
                    r.content.insert("application/json".into(), content);
                    RefOr::T(r)
                });
        }
    }
}

/// Every operation takes the header `name` (a string matching `pattern`,
/// when given), unless it declares it itself.
pub fn header_everywhere(doc: &mut OpenApi, name: &str, required: bool, pattern: Option<&str>) {
    use utoipa::openapi::path::{ParameterBuilder, ParameterIn};
    use utoipa::openapi::schema::{ObjectBuilder, Type};
    use utoipa::openapi::Required;
    for op in operations(doc) {
        let params = op.parameters.get_or_insert_with(Vec::new);
        if params.iter().any(|p| p.name.eq_ignore_ascii_case(name)) {
            continue;
        }
        let mut schema = ObjectBuilder::new().schema_type(Type::String);
        if let Some(p) = pattern {
            schema = schema.pattern(Some(p));
        }
        params.push(
            ParameterBuilder::new()
                .name(name)
                .parameter_in(ParameterIn::Header)
                .required(if required {
                    Required::True
                } else {
                    Required::False
                })
                .schema(Some(schema))
                .build(),
        );
    }
}
