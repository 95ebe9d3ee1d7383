"""The Kafka service around the extraction core: faust workers, topics, records, HTTP endpoints.

Nothing here parses HTML (pages go to :func:`sieve.extract` as they are), and nothing outside this
package imports Kafka. See docs/pipeline.md and docs/asyncapi.yaml.
"""
