from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.chat_state_record import ChatStateRecord
from ...models.chat_state_replace import ChatStateReplace
from ...models.error import Error
from ...types import UNSET, Response, Unset


def _get_kwargs(
    user_session_id: str,
    *,
    body: ChatStateReplace,
    if_match: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(if_match, Unset):
        headers["If-Match"] = if_match

    _kwargs: dict[str, Any] = {
        "method": "put",
        "url": "/chat-state-sessions/{user_session_id}".format(
            user_session_id=quote(str(user_session_id), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ChatStateRecord | Error | None:
    if response.status_code == 200:
        response_200 = ChatStateRecord.from_dict(response.json())

        return response_200

    if response.status_code == 400:
        response_400 = Error.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = Error.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = Error.from_dict(response.json())

        return response_403

    if response.status_code == 404:
        response_404 = Error.from_dict(response.json())

        return response_404

    if response.status_code == 412:
        response_412 = Error.from_dict(response.json())

        return response_412

    if response.status_code == 413:
        response_413 = Error.from_dict(response.json())

        return response_413

    if response.status_code == 414:
        response_414 = Error.from_dict(response.json())

        return response_414

    if response.status_code == 415:
        response_415 = Error.from_dict(response.json())

        return response_415

    if response.status_code == 429:
        response_429 = Error.from_dict(response.json())

        return response_429

    if response.status_code == 503:
        response_503 = Error.from_dict(response.json())

        return response_503

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[ChatStateRecord | Error]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    user_session_id: str,
    *,
    client: AuthenticatedClient,
    body: ChatStateReplace,
    if_match: str | Unset = UNSET,
) -> Response[ChatStateRecord | Error]:
    """Replace an existing chat state

    Args:
        user_session_id (str):
        if_match (str | Unset):
        body (ChatStateReplace):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ChatStateRecord | Error]
    """

    kwargs = _get_kwargs(
        user_session_id=user_session_id,
        body=body,
        if_match=if_match,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    user_session_id: str,
    *,
    client: AuthenticatedClient,
    body: ChatStateReplace,
    if_match: str | Unset = UNSET,
) -> ChatStateRecord | Error | None:
    """Replace an existing chat state

    Args:
        user_session_id (str):
        if_match (str | Unset):
        body (ChatStateReplace):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ChatStateRecord | Error
    """

    return sync_detailed(
        user_session_id=user_session_id,
        client=client,
        body=body,
        if_match=if_match,
    ).parsed


async def asyncio_detailed(
    user_session_id: str,
    *,
    client: AuthenticatedClient,
    body: ChatStateReplace,
    if_match: str | Unset = UNSET,
) -> Response[ChatStateRecord | Error]:
    """Replace an existing chat state

    Args:
        user_session_id (str):
        if_match (str | Unset):
        body (ChatStateReplace):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ChatStateRecord | Error]
    """

    kwargs = _get_kwargs(
        user_session_id=user_session_id,
        body=body,
        if_match=if_match,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    user_session_id: str,
    *,
    client: AuthenticatedClient,
    body: ChatStateReplace,
    if_match: str | Unset = UNSET,
) -> ChatStateRecord | Error | None:
    """Replace an existing chat state

    Args:
        user_session_id (str):
        if_match (str | Unset):
        body (ChatStateReplace):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ChatStateRecord | Error
    """

    return (
        await asyncio_detailed(
            user_session_id=user_session_id,
            client=client,
            body=body,
            if_match=if_match,
        )
    ).parsed
