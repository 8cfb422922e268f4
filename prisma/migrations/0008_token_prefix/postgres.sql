-- Token prefixes kept 12 characters, 8 of them secret; keep only what tells tokens apart:
-- "vgl_" and 4 more characters, or the first 4 of a provisioned token of another shape.
UPDATE "ApiToken" SET "prefix" = CASE WHEN substr("prefix", 1, 4) = 'vgl_' THEN substr("prefix", 1, 8) ELSE substr("prefix", 1, 4) END;
