from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.difficulty import Difficulty
from ...models.error import Error
from ...models.list_roleplay_sessions_status import ListRoleplaySessionsStatus
from ...models.session_list_response import SessionListResponse
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    limit: int | Unset = 10,
    offset: int | Unset = 0,
    status: ListRoleplaySessionsStatus | Unset = UNSET,
    scenario_id: str | Unset = UNSET,
    difficulty: Difficulty | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["limit"] = limit

    params["offset"] = offset

    json_status: str | Unset = UNSET
    if not isinstance(status, Unset):
        json_status = status.value

    params["status"] = json_status

    params["scenarioId"] = scenario_id

    json_difficulty: str | Unset = UNSET
    if not isinstance(difficulty, Unset):
        json_difficulty = difficulty.value

    params["difficulty"] = json_difficulty

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/training/roleplay/sessions",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Error | SessionListResponse | None:
    if response.status_code == 200:
        response_200 = SessionListResponse.from_dict(response.json())

        return response_200

    if response.status_code == 400:
        response_400 = Error.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = Error.from_dict(response.json())

        return response_401

    if response.status_code == 414:
        response_414 = Error.from_dict(response.json())

        return response_414

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
) -> Response[Error | SessionListResponse]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    limit: int | Unset = 10,
    offset: int | Unset = 0,
    status: ListRoleplaySessionsStatus | Unset = UNSET,
    scenario_id: str | Unset = UNSET,
    difficulty: Difficulty | Unset = UNSET,
) -> Response[Error | SessionListResponse]:
    """The caller's sessions, newest first, with the total that match

    Args:
        limit (int | Unset):  Default: 10.
        offset (int | Unset):  Default: 0.
        status (ListRoleplaySessionsStatus | Unset):
        scenario_id (str | Unset):
        difficulty (Difficulty | Unset): Requests accept any letter case ("beginner" works);
            responses are always upper case.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | SessionListResponse]
    """

    kwargs = _get_kwargs(
        limit=limit,
        offset=offset,
        status=status,
        scenario_id=scenario_id,
        difficulty=difficulty,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    limit: int | Unset = 10,
    offset: int | Unset = 0,
    status: ListRoleplaySessionsStatus | Unset = UNSET,
    scenario_id: str | Unset = UNSET,
    difficulty: Difficulty | Unset = UNSET,
) -> Error | SessionListResponse | None:
    """The caller's sessions, newest first, with the total that match

    Args:
        limit (int | Unset):  Default: 10.
        offset (int | Unset):  Default: 0.
        status (ListRoleplaySessionsStatus | Unset):
        scenario_id (str | Unset):
        difficulty (Difficulty | Unset): Requests accept any letter case ("beginner" works);
            responses are always upper case.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | SessionListResponse
    """

    return sync_detailed(
        client=client,
        limit=limit,
        offset=offset,
        status=status,
        scenario_id=scenario_id,
        difficulty=difficulty,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    limit: int | Unset = 10,
    offset: int | Unset = 0,
    status: ListRoleplaySessionsStatus | Unset = UNSET,
    scenario_id: str | Unset = UNSET,
    difficulty: Difficulty | Unset = UNSET,
) -> Response[Error | SessionListResponse]:
    """The caller's sessions, newest first, with the total that match

    Args:
        limit (int | Unset):  Default: 10.
        offset (int | Unset):  Default: 0.
        status (ListRoleplaySessionsStatus | Unset):
        scenario_id (str | Unset):
        difficulty (Difficulty | Unset): Requests accept any letter case ("beginner" works);
            responses are always upper case.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | SessionListResponse]
    """

    kwargs = _get_kwargs(
        limit=limit,
        offset=offset,
        status=status,
        scenario_id=scenario_id,
        difficulty=difficulty,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    limit: int | Unset = 10,
    offset: int | Unset = 0,
    status: ListRoleplaySessionsStatus | Unset = UNSET,
    scenario_id: str | Unset = UNSET,
    difficulty: Difficulty | Unset = UNSET,
) -> Error | SessionListResponse | None:
    """The caller's sessions, newest first, with the total that match

    Args:
        limit (int | Unset):  Default: 10.
        offset (int | Unset):  Default: 0.
        status (ListRoleplaySessionsStatus | Unset):
        scenario_id (str | Unset):
        difficulty (Difficulty | Unset): Requests accept any letter case ("beginner" works);
            responses are always upper case.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | SessionListResponse
    """

    return (
        await asyncio_detailed(
            client=client,
            limit=limit,
            offset=offset,
            status=status,
            scenario_id=scenario_id,
            difficulty=difficulty,
        )
    ).parsed
