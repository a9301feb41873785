-- Konaplate members' corporate card identification (L2, L3): one request
-- per card, a new one replaces it. Times BIGINT microseconds UTC.

CREATE TABLE kona_corp_requests (
    project_id          TEXT NOT NULL REFERENCES kona_projects (project_id),
    par                 TEXT NOT NULL,
    user_id             BIGINT NOT NULL,
    corporation_name    TEXT NOT NULL,
    biz_license_no      TEXT NOT NULL,
    registration_number TEXT NOT NULL,
    status              TEXT NOT NULL,
    created_at          BIGINT NOT NULL,
    updated_at          BIGINT NOT NULL,
    PRIMARY KEY (project_id, par)
);

-- U6 finds a member by name and birth date.
CREATE INDEX kona_members_named ON kona_members (project_id, user_name, birth_date);
