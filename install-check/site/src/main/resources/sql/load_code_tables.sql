-- Heat Clinic loads its code tables through hbm2ddl's import files after Hibernate creates the schema; this site needs one currency and locale.
INSERT INTO BLC_CURRENCY (CURRENCY_CODE, DEFAULT_FLAG, FRIENDLY_NAME) VALUES ('USD', TRUE, 'US Dollar');
INSERT INTO BLC_LOCALE (LOCALE_CODE, DEFAULT_FLAG, FRIENDLY_NAME, CURRENCY_CODE) VALUES ('en_US', TRUE, 'English (US)', 'USD');
