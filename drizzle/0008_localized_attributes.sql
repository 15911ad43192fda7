-- Product attributes were one object of plain strings in English ({"volume": "300 ml", "milk": ["cow", "oat"], "tags": [...]}),
-- so a Russian page showed "milk: cow, oat". They become a list of facts with names and values in both languages
-- ([{"key": "volume", "name": {"ru": "Объём", "en": "Volume"}, "value": {"ru": "300 мл", "en": "300 ml"}}]) and
-- the tags move to their own column (0007). Names and values the shop used are translated; units (ml, g, kg, l) are;
-- anything else keeps its text in both languages for the owner to translate in /admin. An attribute that repeats
-- one of the product's options (milk beside the milk option) is dropped: the option shows it, translated.
UPDATE "products" SET "tags" = "attributes"->'tags'
WHERE jsonb_typeof("attributes") = 'object' AND jsonb_typeof("attributes"->'tags') = 'array';
--> statement-breakpoint
WITH "names" ("key", "ru", "en") AS (
  VALUES ('volume', 'Объём', 'Volume'), ('weight', 'Вес', 'Weight'), ('roast', 'Обжарка', 'Roast'), ('process', 'Обработка', 'Process'),
         ('color', 'Цвет', 'Colour'), ('milk', 'Молоко', 'Milk'), ('size', 'Размер', 'Size'), ('origin', 'Происхождение', 'Origin')
), "words" ("en", "ru") AS (
  VALUES ('light', 'светлая'), ('medium', 'средняя'), ('dark', 'тёмная'), ('washed', 'мытая'), ('natural', 'натуральная'),
         ('honey', 'хани'), ('sugarcane decaf', 'декаф (сахарный тростник)'), ('white', 'белый'), ('black', 'чёрный'),
         ('cow', 'коровье'), ('oat', 'овсяное'), ('almond', 'миндальное'), ('coconut', 'кокосовое'), ('soy', 'соевое'), ('lactose-free', 'безлактозное')
), "facts" AS (
  SELECT p."id", a."key", a."ordinality",
         (SELECT string_agg(e."v", ', ' ORDER BY e."i") FROM jsonb_array_elements_text(
            CASE jsonb_typeof(a."value") WHEN 'array' THEN a."value" WHEN 'string' THEN jsonb_build_array(a."value") ELSE jsonb_build_array(a."value"::text) END
          ) WITH ORDINALITY e("v", "i") WHERE btrim(e."v") <> '') AS "en",
         (SELECT string_agg(coalesce(w."ru", regexp_replace(regexp_replace(regexp_replace(regexp_replace(e."v",
                   '(\d)\s*ml\M', '\1 мл', 'g'), '(\d)\s*kg\M', '\1 кг', 'g'), '(\d)\s*g\M', '\1 г', 'g'), '(\d)\s*l\M', '\1 л', 'g')), ', ' ORDER BY e."i")
          FROM jsonb_array_elements_text(
            CASE jsonb_typeof(a."value") WHEN 'array' THEN a."value" WHEN 'string' THEN jsonb_build_array(a."value") ELSE jsonb_build_array(a."value"::text) END
          ) WITH ORDINALITY e("v", "i") LEFT JOIN "words" w ON w."en" = lower(btrim(e."v")) WHERE btrim(e."v") <> '') AS "ru"
  FROM "products" p, jsonb_each(p."attributes") WITH ORDINALITY a("key", "value", "ordinality")
  WHERE jsonb_typeof(p."attributes") = 'object' AND a."key" <> 'tags'
    AND NOT EXISTS (SELECT 1 FROM jsonb_array_elements(p."options") o WHERE o->>'key' = a."key")
)
UPDATE "products" p SET "attributes" = coalesce((
  SELECT jsonb_agg(jsonb_build_object(
           'key', f."key",
           'name', jsonb_build_object('ru', coalesce(n."ru", f."key"), 'en', coalesce(n."en", initcap(replace(f."key", '_', ' ')))),
           'value', jsonb_build_object('ru', left(f."ru", 100), 'en', left(f."en", 100))
         ) ORDER BY f."ordinality")
  FROM "facts" f LEFT JOIN "names" n ON n."key" = f."key"
  WHERE f."id" = p."id" AND f."en" IS NOT NULL
), '[]'::jsonb)
WHERE jsonb_typeof(p."attributes") = 'object';
--> statement-breakpoint
-- The volume follows the chosen size: an option whose every value is a volume ("250 ml", "0.5 l") now sets the
-- product's volume attribute when chosen, as option values can from now on.
UPDATE "products" p SET "options" = (
  SELECT jsonb_agg(
           CASE WHEN jsonb_array_length(o->'values') > 0
                 AND NOT EXISTS (SELECT 1 FROM jsonb_array_elements(o->'values') v WHERE coalesce(v->'name'->>'en', '') !~* '^\s*\d+([.,]\d+)?\s*(ml|l)\s*$')
                THEN jsonb_set(o, '{values}', (
                  SELECT jsonb_agg(v || jsonb_build_object('attributes', jsonb_build_array(jsonb_build_object('key', 'volume', 'value', v->'name'))) ORDER BY x."i")
                  FROM jsonb_array_elements(o->'values') WITH ORDINALITY x(v, "i")))
                ELSE o END
           ORDER BY y."oi")
  FROM jsonb_array_elements(p."options") WITH ORDINALITY y(o, "oi")
)
WHERE p."attributes" @> '[{"key": "volume"}]' AND jsonb_typeof(p."options") = 'array' AND jsonb_array_length(p."options") > 0;
