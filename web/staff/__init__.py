"""The staff app: review the queue, choose excerpts, record authorizations, approve and publish.

It calls the same `pipeline.publish` functions as the command line; it adds screens and access control.
"""
